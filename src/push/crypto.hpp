// The few cryptographic functions push needs (Base64, SHA-256, random bytes),
// from OpenSSL's libcrypto, loaded when push first needs one of them: like
// libcurl (http.cpp), it is not loaded at the start of every command, which
// a warm `plan` paid for (bench/README.md, "A warm plan in milliseconds").
#ifndef ULTRASTRENGTH_PUSH_CRYPTO_HPP
#define ULTRASTRENGTH_PUSH_CRYPTO_HPP

#include <cstddef>
#include <string>
#include <string_view>

namespace ultrastrength::push {

/// Base64, standard alphabet, padded, no line breaks (EVP_EncodeBlock).
/// Throws PushError when libcrypto cannot be loaded.
std::string base64(std::string_view bytes);
/// The 32-byte SHA-256 digest of `bytes`. Throws PushError.
std::string sha256(std::string_view bytes);
/// `size` cryptographically random bytes (RAND_bytes). Throws PushError.
std::string random_bytes(std::size_t size);

} // namespace ultrastrength::push

#endif
