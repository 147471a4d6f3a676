#pragma once
// A string that wipes its characters when it is destroyed or overwritten, for the operator
// passphrase on its way from the file or terminal to the Keyring. std::string alone would leave
// short values in its inline (stack) buffer and long ones in freed heap.
#include <string>
#include <string_view>
#include <utility>

namespace inkan::crypto {

// Overwrites the characters of `s` in a way the compiler may not drop as a dead store.
void wipe(std::string& s) noexcept;

class SecretString {
 public:
  SecretString() = default;
  // Takes the characters and wipes the source: a moved-from short string keeps its inline buffer.
  explicit SecretString(std::string&& value) noexcept : value_(std::move(value)) { wipe(value); }
  SecretString(const SecretString&) = delete;
  SecretString& operator=(const SecretString&) = delete;
  SecretString(SecretString&& other) noexcept { take(other); }
  SecretString& operator=(SecretString&& other) noexcept {
    if (this != &other) {
      wipe(value_);
      take(other);
    }
    return *this;
  }
  ~SecretString() { wipe(value_); }

  std::string_view view() const noexcept { return value_; }
  const std::string& str() const noexcept { return value_; }  // for APIs that take std::string
  operator std::string_view() const noexcept { return value_; }  // NOLINT: passed where a view is expected
  bool empty() const noexcept { return value_.empty(); }
  std::size_t size() const noexcept { return value_.size(); }

 private:
  // Moving a short string copies its inline buffer, so the source is wiped rather than moved from.
  void take(SecretString& other) noexcept {
    value_ = std::move(other.value_);
    wipe(other.value_);
  }
  std::string value_;
};

}  // namespace inkan::crypto
