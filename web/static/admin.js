// inkan management site: the only script (served from 'self', no inline script under the CSP).
// Every page works without it, except that the confirm dialogs are skipped and the password
// reveal falls back to a normal form post.
"use strict";

// <form data-confirm="..."> asks before submitting (the seed's 証明書を更新します。よろしいですか？).
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement)) return;
  const question = form.dataset.confirm;
  if (question && !window.confirm(question)) {
    event.preventDefault();
    return;
  }
  if (form.dataset.reveal) {
    event.preventDefault();
    reveal(form);
  }
});

// <form data-reveal="ID">: POST with the form's CSRF token, show the JSON password in #ID.
async function reveal(form) {
  const target = document.getElementById(form.dataset.reveal);
  const button = form.querySelector("button");
  try {
    const response = await fetch(form.action, {
      method: "POST",
      headers: { "Accept": "application/json" },
      body: new URLSearchParams(new FormData(form)),
      credentials: "same-origin",
      cache: "no-store",
    });
    if (!response.ok) throw new Error(String(response.status));
    const data = await response.json();
    target.textContent = data.password;
    target.hidden = false;
    if (button) button.hidden = true;
  } catch (e) {
    form.submit();  // the page without script shows it too
  }
}
