#include "web/http/i18n.hpp"

#include <cstdlib>
#include <optional>

#include "ca/domain/error.hpp"

namespace inkan::web {
namespace {

struct Message {
  std::string_view key, ja, en;
};

// The Japanese strings follow the seed (../seed/README.md) where it has them.
constexpr Message kCatalog[] = {
    {"title", "クライアント証明書", "Client certificate"},
    {"you_are", "ご利用中の証明書", "Your certificate"},
    {"cn", "名前 (CN)", "Name (CN)"},
    {"tenant", "施設", "Facility"},
    {"serial", "シリアル番号", "Serial number"},
    {"status", "状態", "Status"},
    {"expires", "有効期限", "Expires"},
    {"days_left", "残り日数", "Days left"},
    {"status_active", "利用中", "in use"},
    {"status_superseded", "更新済み（有効期限まで利用できます）", "renewed (usable until it expires)"},
    {"status_expired", "期限切れ", "expired"},
    {"status_revoked", "失効", "revoked"},
    {"banner", "クライアント証明書の有効期限が近づいています。", "Your client certificate expires soon."},
    {"banner_renewed", "クライアント証明書は更新済みです。新しい証明書をインポートしてください。",
     "Your client certificate has been renewed: install the new certificate."},
    {"renew", "更新", "Renew"},
    {"close", "閉じる", "Close"},
    {"renew_heading", "証明書の更新", "Renew the certificate"},
    {"renew_intro", "新しい鍵で新しい証明書を発行します。今の証明書も有効期限まで使えます。",
     "A new certificate with a new key is issued. The current one keeps working until it expires."},
    {"profile", "ファイル形式 (PKCS#12)", "File format (PKCS#12)"},
    {"profile_compat", "互換 (Windows 7 以降・macOS・iOS・Android)", "Compatible (Windows 7+, macOS, iOS, Android)"},
    {"profile_modern", "最新 (Windows 10 1709 以降・Linux・Firefox。macOS・iOS では読めません)",
     "Modern (Windows 10 1709+, Linux, Firefox; macOS and iOS cannot read it)"},
    {"too_early", "更新は次の日から可能です:", "Renewal opens on"},
    {"already_renewed", "この証明書は更新済みです。新しい証明書をもう一度ダウンロードできます。新しい証明書のシリアル番号:",
     "This certificate was already renewed. You can download the new certificate again. Its serial number:"},
    {"download_again", "新しい証明書を表示", "Show the new certificate"},
    {"admin_only", "テナント管理者の証明書は、ここでは更新されません。管理者が管理サイトで更新します。",
     "Tenant administrator certificates are not renewed here: administrators renew them in the management site."},
    {"successor_revoked",
     "この証明書の更新後の証明書は失効しています。この証明書からは更新できません。管理者にお問い合わせください。",
     "The certificate that replaced this one has been revoked, so this certificate cannot be renewed. Please "
     "contact your administrator."},
    {"renewed_heading", "証明書の更新に成功しました。", "The certificate was renewed."},
    {"renewed_again", "この証明書はすでに更新されています。同じ新しい証明書をお渡しします。",
     "This certificate had already been renewed: here is the same new certificate again."},
    {"new_serial", "新しいシリアル番号", "New serial number"},
    {"download_before", "新しい証明書 (.p12) は", "Download the new certificate (.p12) "},
    {"here", "こちら", "here"},
    {"download_after", "からダウンロードしてください。", "."},
    {"show_password", "確認する", "Show password"},
    {"password_label", "インポートに必要なパスワード:", "Password needed to import it:"},
    {"backup_advice",
     "PC の故障に備えて、ダウンロードした .p12 ファイルとパスワードを一緒に保管してください（例: パスワードをテキストファイルに保存して、.p12 と同じ場所にバックアップする）。",
     "Keep a backup of the .p12 file and its password together (for example, the password in a text file next to "
     "the .p12), in case the PC fails."},
    {"import_heading", "インポートの手順", "How to import it"},
    {"win_1", ".p12 ファイルをダブルクリックします。証明書のインポート ウィザードが開きます。",
     "Double-click the .p12 file. The Certificate Import Wizard opens."},
    {"win_2", "保存場所は「現在のユーザー」のまま「次へ」。ファイル名を確認して「次へ」。",
     "Keep \"Current User\" and click Next. Check the file name and click Next."},
    {"win_3", "パスワードを入力します（秘密キーのエクスポートは既定のまま許可しない）。",
     "Enter the password (leave the private key not exportable, the default)."},
    {"win_4", "証明書ストアは「自動的に選択する」のまま「次へ」、「完了」。",
     "Let Windows select the certificate store automatically, click Next, then Finish."},
    {"mac_1", ".p12 ファイルをダブルクリックします。キーチェーンアクセスが開きます。",
     "Double-click the .p12 file. Keychain Access opens."},
    {"mac_2", "キーチェーン「ログイン」を選び、パスワードを入力します。",
     "Choose the \"login\" keychain and enter the password."},
    {"linux_1", "Chrome / Chromium: 設定 → プライバシーとセキュリティ → セキュリティ → 証明書の管理 → 自分の証明書 → インポート。",
     "Chrome / Chromium: Settings → Privacy and security → Security → Manage certificates → Your certificates → Import."},
    {"linux_2", "Firefox: 設定 → プライバシーとセキュリティ → 証明書を表示 → あなたの証明書 → インポート。",
     "Firefox: Settings → Privacy & Security → View Certificates → Your Certificates → Import."},
    {"linux_3", "コマンドライン (NSS): pk12util -i ファイル.p12 -d sql:$HOME/.pki/nssdb",
     "Command line (NSS): pk12util -i file.p12 -d sql:$HOME/.pki/nssdb"},
    {"after_import",
     "インポート後、ブラウザを開き直して接続し、ログインできることを確認してください。証明書の選択画面には古い証明書と新しい証明書が同じ名前で表示されます。どちらを選んでも使えます。",
     "After importing, restart the browser, connect again and check that you can log in. The certificate picker "
     "shows the old and the new certificate under the same name; either works."},
    {"back", "戻る", "Back"},
    {"no_cert_heading", "クライアント証明書が選択されていません", "No client certificate was presented"},
    {"no_cert_1", "このページはクライアント証明書で本人確認をします。ブラウザを再起動して接続し直し、証明書の選択画面でご自分の証明書を選んでください。",
     "This page identifies you by your client certificate. Restart the browser, connect again and choose your "
     "certificate when the browser asks for one."},
    {"no_cert_expired",
     "有効期限が切れた証明書は、ブラウザの証明書の選択画面に表示されません。期限が切れている場合はご自分では更新できないため、施設の管理者に証明書の再発行を依頼してください。",
     "Browsers do not offer an expired certificate at all. If yours has expired, it cannot renew itself: ask your "
     "facility's administrator to reissue it, then import the new certificate."},
    {"no_cert_2", "証明書がまだインポートされていない場合は、管理者から受け取った .p12 ファイルをインポートしてください。",
     "If the certificate is not imported yet, import the .p12 file you received from your administrator."},
    {"expired_heading", "クライアント証明書の有効期限が切れています", "Your client certificate has expired"},
    {"expired_1", "有効期限が切れた証明書は、ご自分では更新できません。",
     "An expired certificate cannot renew itself."},
    {"expired_2", "施設の管理者に証明書の再発行を依頼し、新しい証明書をインポートしてください。同じ施設で更新済みの端末があれば、その端末の管理画面から取得できます。",
     "Ask your facility's administrator to reissue it, then import the new certificate. A terminal of the same "
     "facility with a renewed certificate can fetch it from the management screen."},
    {"revoked_heading", "この証明書は失効しています", "This certificate has been revoked"},
    {"revoked_1", "失効した証明書は使えません。施設の管理者にお問い合わせください。",
     "A revoked certificate cannot be used. Please contact your facility's administrator."},
    {"not_yet_valid_heading", "この証明書はまだ有効ではありません", "This certificate is not valid yet"},
    {"not_yet_valid_1", "証明書の有効期間が始まっていません。PC の日付と時刻を確認してください。",
     "The certificate's validity has not started. Check the date and time of this computer."},
    {"unknown_heading", "この証明書は使えません", "This certificate is not accepted"},
    {"unknown_1", "この証明書はこの認証局が発行したものではありません。証明書の選択画面で別の証明書を選んでください。",
     "This certificate was not issued by this certificate authority. Choose another certificate when the browser asks."},
    {"error_heading", "処理できませんでした", "The request could not be completed"},
    {"error_1", "時間をおいてもう一度お試しください。解決しない場合は管理者にお問い合わせください。",
     "Please try again later. If the problem persists, contact your administrator."},
    {"csrf_1", "フォームの有効期限が切れました。ページを開き直してもう一度お試しください。",
     "The form has expired. Reload the page and try again."},
    {"not_found_1", "ページが見つかりません。", "The page was not found."},
    {"language", "言語", "Language"},
};

double q_of(std::string_view part) {
  auto pos = part.find("q=");
  if (pos == std::string_view::npos) return 1.0;
  return std::strtod(std::string(part.substr(pos + 2)).c_str(), nullptr);
}

}  // namespace

std::string_view to_string(Lang lang) { return lang == Lang::En ? "en" : "ja"; }

Lang negotiate_language(std::string_view cookie, std::string_view accept) {
  if (cookie == "en") return Lang::En;
  if (cookie == "ja") return Lang::Ja;
  double best_q = 0.0;
  Lang best = Lang::Ja;
  while (!accept.empty()) {
    auto comma = accept.find(',');
    auto part = accept.substr(0, comma);
    accept = comma == std::string_view::npos ? std::string_view() : accept.substr(comma + 1);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    auto tag = part.substr(0, part.find(';'));
    std::optional<Lang> lang;
    if (tag.substr(0, 2) == "ja") lang = Lang::Ja;
    else if (tag.substr(0, 2) == "en") lang = Lang::En;
    if (!lang) continue;
    if (double q = q_of(part); q > best_q) best_q = q, best = *lang;
  }
  return best;
}

void add_messages(View& view, Lang lang) {
  for (const auto& m : kCatalog) view.set("t_" + std::string(m.key), std::string(lang == Lang::En ? m.en : m.ja));
  view.set("lang", std::string(to_string(lang)));
  view.flag("lang_ja", lang == Lang::Ja).flag("lang_en", lang == Lang::En);
}

std::string message(std::string_view key, Lang lang) {
  for (const auto& m : kCatalog)
    if (m.key == key) return std::string(lang == Lang::En ? m.en : m.ja);
  throw Error(ErrorCode::NotFound, "no message " + std::string(key));
}

}  // namespace inkan::web
