#include "web/admin/messages.hpp"

#include "ca/domain/error.hpp"

namespace inkan::web::admin {
namespace {

struct Message {
  std::string_view key, ja, en;
};

// The Japanese strings follow the seed (/work/shared/seed/README.md) where it has them: the tab
// names, the detail page's field names and buttons, the confirm dialog and the success message.
constexpr Message kCatalog[] = {
    {"site_title", "システム管理サイト", "Management site"},
    {"language", "言語", "Language"},
    {"nav_top", "TOP", "TOP"},
    {"nav_tenant", "テナント情報", "Tenant"},
    {"nav_certificates", "証明書管理", "Certificates"},
    {"nav_users", "ユーザ管理", "Users"},
    {"nav_history", "ログイン履歴", "Login history"},
    {"logout", "ログアウト", "Log out"},
    {"account", "パスワード変更", "Change password"},
    // login
    {"login_heading", "ログイン", "Log in"},
    {"username", "ユーザ名", "User name"},
    {"password", "パスワード", "Password"},
    {"login_button", "ログイン", "Log in"},
    {"login_failed", "ユーザ名、パスワードまたはクライアント証明書が正しくありません。",
     "The user name, the password or the client certificate is not correct."},
    {"login_locked", "ログインの失敗が続いたため、一時的にログインできません。しばらくしてからお試しください。",
     "Too many failed logins: logging in is blocked for a while. Please try again later."},
    {"cert_required_note",
     "このサイトにはテナント管理者のクライアント証明書が必要です。ブラウザを再起動して接続し直し、証明書の選択画面でテナント管理者の証明書を選んでください。",
     "This site requires a tenant administrator's client certificate. Restart the browser, connect again and "
     "choose that certificate when the browser asks for one."},
    {"logged_out", "ログアウトしました。", "You have logged out."},
    {"password_changed", "パスワードを変更しました。新しいパスワードでログインしてください。",
     "The password was changed. Please log in with the new password."},
    // errors
    {"unauth_heading", "ログインが必要です", "Please log in"},
    {"unauth_1", "ログインしていないか、セッションが終了しました。", "You are not logged in, or your session has ended."},
    {"go_login", "ログイン画面へ", "Go to the login page"},
    {"error_heading", "処理できませんでした", "The request could not be completed"},
    {"error_1", "時間をおいてもう一度お試しください。解決しない場合は運用者にお問い合わせください。",
     "Please try again later. If the problem persists, contact the operator."},
    {"not_found_1", "ページが見つかりません。", "The page was not found."},
    {"bad_request_1", "入力内容を確認してください。", "Please check what you entered."},
    {"conflict_1", "この証明書の今の状態では実行できません。", "This cannot be done in the certificate's current state."},
    {"forbidden_1", "この操作は許可されていません。", "This action is not allowed."},
    {"csrf_1", "フォームの有効期限が切れました。ページを開き直してもう一度お試しください。",
     "The form has expired. Reload the page and try again."},
    {"back_top", "TOPへ戻る", "Back to TOP"},
    // TOP
    {"counts_heading", "証明書の状態", "Certificates by status"},
    {"status_active", "利用中", "In use"},
    {"status_superseded", "更新済み", "Renewed"},
    {"status_expired", "期限切れ", "Expired"},
    {"status_revoked", "失効", "Revoked"},
    {"expiring_heading", "有効期限が近い証明書 (90日以内)", "Expiring within 90 days"},
    {"expiring_none", "ありません。", "None."},
    {"show_all", "すべて表示", "Show all"},
    // tenant
    {"tenant_id", "テナントID", "Tenant ID"},
    {"tenant_name", "テナント名", "Tenant name"},
    {"tenant", "テナント", "Tenant"},
    {"created", "登録日", "Created"},
    {"renewal_policy", "更新ポリシー", "Renewal policy"},
    {"renewal_window", "更新可能期間 (有効期限の何日前から)", "Renewal window (days before expiry)"},
    {"window_tenant", "テナント個別設定", "set for this tenant"},
    {"window_default", "既定値", "installation default"},
    {"validity", "証明書の有効期間", "Certificate validity"},
    {"validity_value", "3年", "3 years"},
    {"policy_terminal", "利用者の端末の証明書は、更新可能期間に入ると利用者自身が更新できます。期限切れの証明書は管理者が再発行します。",
     "Terminal certificates can be renewed by their users once the window opens. Expired ones are reissued by an "
     "administrator."},
    {"policy_admin", "テナント管理者の証明書は自動更新されません。このサイトの証明書管理から更新してください。",
     "Tenant administrator certificates are not renewed automatically: renew them under Certificates."},
    {"days", "日", "days"},
    // list
    {"filter_all", "すべて", "All"},
    {"type", "種別", "Type"},
    {"status", "状態", "Status"},
    {"expiring", "有効期限", "Expiry"},
    {"expiring_30", "30日以内", "within 30 days"},
    {"expiring_90", "90日以内", "within 90 days"},
    {"search", "検索 (CN またはシリアル番号)", "Search (CN or serial number)"},
    {"search_button", "絞り込み", "Filter"},
    {"cn", "CN", "CN"},
    {"serial", "シリアル番号", "Serial number"},
    {"issued", "発行日", "Issued"},
    {"expiry", "有効期限", "Expires"},
    {"days_left", "残り日数", "Days left"},
    {"results", "件", "certificates"},
    {"page_prev", "前へ", "Previous"},
    {"page_next", "次へ", "Next"},
    {"page", "ページ", "page"},
    {"no_results", "該当する証明書はありません。", "No certificate matches."},
    {"new_certificate", "証明書の発行", "Issue a certificate"},
    {"kind_terminal", "クライアント", "Client (terminal)"},
    {"kind_tenant_admin", "テナント管理者", "Tenant administrator"},
    // detail
    {"detail_heading", "申請済証明書詳細", "Certificate details"},
    // Says what it reveals (issue 16, item 16); the portal keeps the seed's bare 「確認する」.
    {"reveal", "パスワードを確認する", "Show the password"},
    {"entries", "件", "entries"},
    {"no_download_dead", "有効期限切れまたは失効した証明書は使えないため、ダウンロードできません。", "An expired or revoked certificate no longer works, so it cannot be downloaded."},
    {"requested", "発行申請日時", "Requested"},
    {"ca_certificate", "CA証明書", "CA certificate"},
    {"download", "ダウンロード", "Download"},
    {"notes", "備考", "Notes"},
    {"edit", "編集", "Edit"},
    {"save", "保存", "Save"},
    {"predecessor", "更新前の証明書", "Previous certificate"},
    {"successor", "更新後の証明書", "Next certificate"},
    {"revoked_at", "失効日時", "Revoked"},
    {"back_list", "一覧に戻る", "Back to the list"},
    {"renew", "証明書更新", "Renew"},
    {"renew_confirm", "証明書を更新します。よろしいですか？", "The certificate will be renewed. Continue?"},
    {"download_p12", "ダウンロード(p12形式)", "Download (p12)"},
    {"download_zip", "ダウンロード(zip形式)", "Download (zip)"},
    {"reissue", "再発行", "Reissue"},
    {"reissue_confirm", "期限切れの証明書を再発行します。よろしいですか？", "The expired certificate will be reissued. Continue?"},
    {"revoke", "失効させる", "Revoke"},
    {"revoke_reason", "失効理由", "Reason"},
    {"revoke_confirm", "証明書を失効させます。元に戻せません。よろしいですか？",
     "The certificate will be revoked. This cannot be undone. Continue?"},
    {"reason_unspecified", "指定なし", "Unspecified"},
    {"reason_keyCompromise", "鍵の漏洩", "Key compromise"},
    {"reason_affiliationChanged", "所属の変更", "Affiliation changed"},
    {"reason_superseded", "置き換え", "Superseded"},
    {"reason_cessationOfOperation", "利用終了", "Cessation of operation"},
    {"reason_privilegeWithdrawn", "権限の取り消し", "Privilege withdrawn"},
    {"no_credential", "この証明書は CSR から発行されたため、p12 ファイルとパスワードはありません。",
     "This certificate was signed from a CSR: there is no p12 file and no password."},
    {"too_early_1", "この証明書はまだ更新可能期間に入っていません。", "This certificate's renewal window has not opened yet."},
    {"window_opens", "更新可能になる日", "Renewal opens on"},
    {"user_exists", "このユーザ名はすでに使われています。", "This user name is already taken."},
    {"flash_notes", "備考を保存しました。", "The notes were saved."},
    {"flash_revoked", "証明書を失効させました。", "The certificate was revoked."},
    {"renewed_heading", "証明書の更新に成功しました。", "The certificate was renewed."},
    {"renewed_again", "この証明書はすでに更新されています。更新後の証明書を表示します。",
     "This certificate had already been renewed: here is its successor."},
    {"reissued_heading", "証明書を再発行しました。", "The certificate was reissued."},
    {"issued_heading", "証明書を発行しました。", "The certificate was issued."},
    {"new_serial", "新しいシリアル番号", "New serial number"},
    {"open_detail", "詳細を表示", "Show details"},
    {"backup_advice",
     ".p12 ファイルとパスワードは一緒に保管してください。パスワードは証明書の詳細画面からいつでも確認できます。",
     "Keep the .p12 file and its password together. The password can be shown again on the certificate's page."},
    // issue
    {"email", "メールアドレス (任意)", "Email (optional)"},
    {"key_type", "鍵の種類", "Key type"},
    {"profile", "ファイル形式 (PKCS#12)", "File format (PKCS#12)"},
    {"profile_compat", "互換 (Windows 7 以降・macOS・iOS・Android)", "Compatible (Windows 7+, macOS, iOS, Android)"},
    {"profile_modern", "最新 (Windows 10 1709 以降・Linux・Firefox)", "Modern (Windows 10 1709+, Linux, Firefox)"},
    {"issue_button", "発行", "Issue"},
    // users
    {"role", "権限", "Role"},
    {"role_operator", "運用者 (全テナント)", "Operator (every tenant)"},
    {"role_tenant_admin", "テナント管理者", "Tenant administrator"},
    {"enabled", "有効", "Enabled"},
    {"disabled", "無効", "Disabled"},
    {"must_change", "初回パスワード変更待ち", "must change the password"},
    {"add_user", "ユーザの追加", "Add a user"},
    {"add_button", "追加", "Add"},
    {"username_rule", "英小文字・数字・._@- (3〜64文字、英数字で始まる)", "lower-case letters, digits, . _ @ - (3 to 64, starting with a letter or digit)"},
    {"disable", "無効にする", "Disable"},
    {"enable", "有効にする", "Enable"},
    {"reset", "パスワード再発行", "Reset the password"},
    {"reset_confirm", "パスワードを再発行します。よろしいですか？", "A new password will be generated. Continue?"},
    {"disable_confirm", "このユーザを無効にします。よろしいですか？", "This user will be disabled. Continue?"},
    {"actions", "操作", "Actions"},
    {"one_time_heading", "ワンタイムパスワード", "One-time password"},
    {"one_time_1", "このパスワードは今だけ表示されます。安全な方法で本人に伝えてください。初回ログイン時に変更が必要です。",
     "This password is shown only now. Hand it over safely; it must be changed at the first login."},
    {"flash_disabled", "ユーザを無効にしました。", "The user was disabled."},
    {"flash_enabled", "ユーザを有効にしました。", "The user was enabled."},
    {"password_heading", "パスワードの変更", "Change your password"},
    {"current_password", "現在のパスワード", "Current password"},
    {"new_password", "新しいパスワード (12文字以上)", "New password (12 characters or more)"},
    {"confirm_password", "新しいパスワード (確認)", "New password (again)"},
    {"change_button", "変更", "Change"},
    {"must_change_note", "初回ログインのため、パスワードを変更してください。", "Please change your password before going on."},
    {"wrong_current", "現在のパスワードが正しくありません。", "The current password is not correct."},
    {"mismatch", "新しいパスワードが一致しません。", "The new passwords do not match."},
    {"weak_password", "パスワードは12文字以上で、ユーザ名と異なるものにしてください。",
     "Use 12 characters or more, different from the user name."},
    // login history
    {"at", "日時", "Time"},
    {"user", "ユーザ", "User"},
    {"address", "接続元アドレス", "Address"},
    {"result", "結果", "Result"},
    {"result_success", "成功", "success"},
    {"result_wrong-password", "パスワード誤り", "wrong password"},
    {"result_unknown-user", "ユーザ不明", "unknown user"},
    {"result_disabled", "無効なユーザ", "disabled user"},
    {"result_locked", "ロック中", "locked"},
    {"result_certificate-required", "証明書なし", "no certificate"},
    {"result_certificate-mismatch", "証明書不一致", "wrong certificate"},
};

}  // namespace

void add_admin_messages(View& view, Lang lang) {
  for (const auto& m : kCatalog) view.set("m_" + std::string(m.key), std::string(lang == Lang::En ? m.en : m.ja));
  view.set("lang", std::string(to_string(lang)));
  view.flag("lang_ja", lang == Lang::Ja).flag("lang_en", lang == Lang::En);
}

std::string tr(std::string_view key, Lang lang) {
  for (const auto& m : kCatalog)
    if (m.key == key) return std::string(lang == Lang::En ? m.en : m.ja);
  throw Error(ErrorCode::NotFound, "no admin message " + std::string(key));
}

}  // namespace inkan::web::admin
