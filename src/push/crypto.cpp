#include "push/crypto.hpp"

#include "push/credentials.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <dlfcn.h>
#include <type_traits>

namespace ultrastrength::push {

namespace {

/// libcrypto's functions, bound with dlopen on first use (crypto.hpp).
struct Crypto {
    decltype(&::EVP_EncodeBlock) encode_block = nullptr;
    decltype(&::EVP_Digest) digest = nullptr;
    decltype(&::EVP_sha256) sha256 = nullptr;
    decltype(&::RAND_bytes) rand_bytes = nullptr;
};

const Crypto& crypto() {
    static std::string load_error;
    static const Crypto* const loaded = []() -> const Crypto* {
        void* lib = ::dlopen("libcrypto.so.3", RTLD_NOW | RTLD_LOCAL);
        if (lib == nullptr) {
            const char* why = ::dlerror();
            load_error = std::string("OpenSSL's libcrypto cannot be loaded (install libssl3): ") +
                         (why != nullptr ? why : "libcrypto.so.3 not found");
            return nullptr;
        }
        static Crypto c;
        bool complete = true;
        const auto bind = [&](auto& function, const char* name) {
            void* symbol = ::dlsym(lib, name);
            complete = complete && symbol != nullptr;
            function = reinterpret_cast<std::remove_reference_t<decltype(function)>>(symbol);
        };
        bind(c.encode_block, "EVP_EncodeBlock");
        bind(c.digest, "EVP_Digest");
        bind(c.sha256, "EVP_sha256");
        bind(c.rand_bytes, "RAND_bytes");
        if (!complete) {
            load_error = "libcrypto.so.3 lacks a function this program calls";
            return nullptr;
        }
        return &c;
    }();
    if (loaded == nullptr) {
        throw PushError(load_error);
    }
    return *loaded;
}

} // namespace

std::string base64(std::string_view bytes) {
    const Crypto& c = crypto();
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    const int n = c.encode_block(reinterpret_cast<unsigned char*>(out.data()),
                                 reinterpret_cast<const unsigned char*>(bytes.data()),
                                 static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

std::string sha256(std::string_view bytes) {
    const Crypto& c = crypto();
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (c.digest(bytes.data(), bytes.size(), digest, &length, c.sha256(), nullptr) != 1) {
        throw PushError("SHA-256 failed");
    }
    return std::string(reinterpret_cast<const char*>(digest), length);
}

std::string random_bytes(std::size_t size) {
    const Crypto& c = crypto();
    std::string out(size, '\0');
    if (c.rand_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(size)) != 1) {
        throw PushError("no random bytes from OpenSSL");
    }
    return out;
}

} // namespace ultrastrength::push
