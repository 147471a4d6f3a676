// A test's clean-up, last registered first. node:test runs a test's `after` hooks in the order
// they were registered, and a hook that throws skips the ones after it: removing the data
// directory first raced Chromium still writing its profile there (ENOTEMPTY), and the browser and
// the server were then never stopped, so the test hung until CTest's timeout.
'use strict';

function teardown(t) {
  const steps = [];
  t.after(async () => {
    let first;
    for (const step of steps.reverse()) {
      try { await step(); } catch (e) { first ??= e; }
    }
    if (first) throw first;
  });
  return (step) => { steps.push(step); };
}

module.exports = { teardown };
