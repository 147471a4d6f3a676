#include "ca/service/issuance/import_instructions.hpp"

namespace inkan::service {
namespace {

std::string roots_ja(const std::vector<TrustedRoot>& roots) {
  std::string out;
  for (const auto& r : roots) out += "   " + r.file_name + "（拇印 sha1: " + r.thumbprint + "）\n";
  return out;
}

std::string roots_en(const std::vector<TrustedRoot>& roots) {
  std::string out;
  for (const auto& r : roots) out += "   " + r.file_name + " (Thumbprint (sha1): " + r.thumbprint + ")\n";
  return out;
}

}  // namespace

std::string windows_text(const std::string& lf_text) {
  std::string out = "\xEF\xBB\xBF";
  out.reserve(lf_text.size() + lf_text.size() / 40 + 3);
  for (char c : lf_text) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

std::string import_instructions(const std::string& p12, const std::vector<TrustedRoot>& roots) {
  const std::string root = roots.empty() ? std::string("ca-root.crt") : roots.front().file_name;
  return windows_text(
      "クライアント証明書のインストール手順\n"
      "====================================\n"
      "\n"
      "A. 認証局 (CA) の証明書を信頼させる（PC ごとに最初の一度だけ）\n"
      "   更新ページを開いたときに「この接続ではプライバシーが保護されません」\n"
      "   (NET::ERR_CERT_AUTHORITY_INVALID) と表示される PC では、先にこの手順を行います。\n"
      "   この zip に入っている認証局の証明書:\n" +
      roots_ja(roots) +
      "   1. " + root + " をダブルクリックし、「証明書のインストール」を押します。\n"
      "   2. 保存場所は「現在のユーザー」のまま「次へ」を押します。\n"
      "   3. 「証明書をすべて次のストアに配置する」を選び、「参照」から\n"
      "      「信頼されたルート証明機関」を選んで「次へ」、「完了」を押します。\n"
      "   4. セキュリティ警告が表示されたら、拇印 (sha1) が上の値と同じであることを確かめて\n"
      "      「はい」を押します。違う場合は「いいえ」を押し、管理者に連絡してください。\n"
      "\n"
      "B. クライアント証明書をインポートする\n"
      "   1. " + p12 + " をダブルクリックします。\n"
      "   2. 証明書のインポートウィザードが開きます。保存場所は「現在のユーザー」のまま「次へ」、\n"
      "      ファイル名を確認して「次へ」を押します。\n"
      "   3. パスワードを入力します。パスワードはこのファイルには含まれていません。\n"
      "      管理者から別の方法で受け取ってください（管理画面の「パスワード」欄で確認できます）。\n"
      "   4. 証明書ストアは「証明書の種類に基づいて、自動的に証明書ストアを選択する」のまま\n"
      "      「次へ」を押し、「完了」を押します。\n"
      "   5. ブラウザを再起動して接続し、ログインできることを確認します。\n"
      "      新旧の証明書が同じ名前で表示されます。どちらを選んでも構いません。\n"
      "\n"
      "p12ファイルとパスワードはいっしょにバックアップしてください（PCの故障に備えて）。\n"
      "\n"
      "\n"
      "Installing your client certificate\n"
      "==================================\n"
      "\n"
      "A. Trust the certificate authority (once per PC)\n"
      "   If the renewal page says \"Your connection is not private\"\n"
      "   (NET::ERR_CERT_AUTHORITY_INVALID), do this first. The CA certificate in this zip:\n" +
      roots_en(roots) +
      "   1. Double-click " + root + " and click \"Install Certificate\".\n"
      "   2. Keep \"Current User\" and click Next.\n"
      "   3. Choose \"Place all certificates in the following store\", Browse, select\n"
      "      \"Trusted Root Certification Authorities\", click Next, then Finish.\n"
      "   4. When Windows shows a security warning, check that its Thumbprint (sha1) is the one\n"
      "      above and click Yes. If it differs, click No and call your administrator.\n"
      "   macOS: double-click " + root + ", then in Keychain Access set it to \"Always Trust\".\n"
      "\n"
      "B. Import the client certificate\n"
      "   Windows: double-click " + p12 + ", keep the defaults of the import wizard, enter\n"
      "     the password, let Windows choose the store automatically, and finish.\n"
      "   macOS: double-click " + p12 + "; Keychain Access asks for the password and adds the\n"
      "     certificate to your login keychain.\n"
      "   Linux (Chrome/Chromium): pk12util -d sql:$HOME/.pki/nssdb -i " + p12 + "\n"
      "   Firefox: Settings > Privacy & Security > Certificates > View Certificates > Your\n"
      "     Certificates > Import.\n"
      "\n"
      "The password is not in this bundle: your administrator gives it to you separately.\n"
      "Back up the .p12 and its password together, in case the PC fails.\n"
      "Old and new certificates both work until the old one expires; they show the same name\n"
      "with their issue date, and either may be chosen.\n");
}

}  // namespace inkan::service
