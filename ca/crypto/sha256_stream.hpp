#pragma once
// Incremental SHA-256, for files too large to hold in memory (backup archives).
#include <cstddef>
#include <memory>
#include <string>

namespace inkan::crypto {

class Sha256Stream {
 public:
  Sha256Stream();
  ~Sha256Stream();
  Sha256Stream(const Sha256Stream&) = delete;
  Sha256Stream& operator=(const Sha256Stream&) = delete;

  void update(const void* data, std::size_t size);
  // Lowercase hex of the digest; the stream starts over afterwards.
  std::string final_hex();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace inkan::crypto
