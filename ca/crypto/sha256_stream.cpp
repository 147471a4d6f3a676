#include "ca/crypto/sha256_stream.hpp"

#include <botan/hash.h>
#include <botan/hex.h>

namespace inkan::crypto {

struct Sha256Stream::Impl {
  std::unique_ptr<Botan::HashFunction> hash = Botan::HashFunction::create_or_throw("SHA-256");
};

Sha256Stream::Sha256Stream() : impl_(std::make_unique<Impl>()) {}
Sha256Stream::~Sha256Stream() = default;

void Sha256Stream::update(const void* data, std::size_t size) {
  impl_->hash->update(static_cast<const std::uint8_t*>(data), size);
}

std::string Sha256Stream::final_hex() { return Botan::hex_encode(impl_->hash->final(), false); }

}  // namespace inkan::crypto
