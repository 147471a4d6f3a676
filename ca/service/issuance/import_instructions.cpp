#include "ca/service/issuance/import_instructions.hpp"

namespace inkan::service {

std::string import_instructions(const std::string& p12) {
  return "クライアント証明書のインストール手順\n"
         "====================================\n"
         "1. " + p12 + " をダブルクリックします。\n"
         "2. 証明書のインポートウィザードが開きます。ファイル名を確認して「次へ」を押します。\n"
         "3. パスワードを入力します。パスワードはこのファイルには含まれていません。\n"
         "   管理者から別の方法で受け取ってください（管理画面の「パスワード」欄で確認できます）。\n"
         "4. 証明書ストアは「証明書の種類に基づいて、自動的に証明書ストアを選択する」のまま「次へ」を押します。\n"
         "5. 「完了」を押します。\n"
         "6. ブラウザを再起動して接続し、ログインできることを確認します。\n"
         "   新旧の証明書が同じ名前で表示されます。どちらを選んでも構いません。\n"
         "p12ファイルとパスワードはいっしょにバックアップしてください（PCの故障に備えて）。\n"
         "\n"
         "Installing your client certificate\n"
         "==================================\n"
         "Windows: double-click " + p12 + ", keep the defaults of the import wizard, enter the\n"
         "  password, let Windows choose the store automatically, and finish.\n"
         "macOS: double-click " + p12 + "; Keychain Access asks for the password and adds the\n"
         "  certificate to your login keychain.\n"
         "Linux (Chrome/Chromium): pk12util -d sql:$HOME/.pki/nssdb -i " + p12 + "\n"
         "Firefox: Settings > Privacy & Security > Certificates > View Certificates > Your\n"
         "  Certificates > Import.\n"
         "The password is not in this bundle: your administrator gives it to you separately.\n"
         "Back up the .p12 and its password together, in case the PC fails.\n"
         "Old and new certificates both work until the old one expires; they show the same name\n"
         "with their issue date, and either may be chosen.\n";
}

}  // namespace inkan::service
