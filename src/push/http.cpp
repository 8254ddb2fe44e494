#include "push/http.hpp"

// The functions, not the type-checking macros: they are called through
// pointers (libcurl is loaded when the first request is sent, see Curl).
#define CURL_DISABLE_TYPECHECK
#include <curl/curl.h>

#include <cstdlib>
#include <dlfcn.h>
#include <string>
#include <type_traits>

namespace ultrastrength::push {

namespace {

/// libcurl, loaded with dlopen when the first request is sent instead of by
/// the dynamic loader at every start of the program: libcurl and the two
/// dozen libraries it pulls in (TLS, Kerberos, LDAP, HTTP/2, IDN, ...) were
/// three quarters of the loader's work, a start-up that every command paid
/// and only `push` needs (bench/warm_plan.sh, bench/README.md). The Debian
/// package depends on libcurl4 explicitly (packaging/CMakeLists.txt).
struct Curl {
    decltype(&::curl_global_init) global_init = nullptr;
    decltype(&::curl_easy_init) easy_init = nullptr;
    decltype(&::curl_easy_setopt) easy_setopt = nullptr;
    decltype(&::curl_easy_perform) easy_perform = nullptr;
    decltype(&::curl_easy_getinfo) easy_getinfo = nullptr;
    decltype(&::curl_easy_strerror) easy_strerror = nullptr;
    decltype(&::curl_easy_cleanup) easy_cleanup = nullptr;
    decltype(&::curl_slist_append) slist_append = nullptr;
    decltype(&::curl_slist_free_all) slist_free_all = nullptr;
};

/// The loaded library, or null with `error` saying why (once per process).
const Curl* curl_library(std::string& error) {
    static std::string load_error;
    static const Curl* const loaded = []() -> const Curl* {
        void* lib = ::dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
        if (lib == nullptr) {
            const char* why = ::dlerror();
            load_error = std::string("libcurl cannot be loaded (install libcurl4): ") +
                         (why != nullptr ? why : "libcurl.so.4 not found");
            return nullptr;
        }
        static Curl curl;
        bool complete = true;
        const auto bind = [&](auto& function, const char* name) {
            void* symbol = ::dlsym(lib, name);
            complete = complete && symbol != nullptr;
            function = reinterpret_cast<std::remove_reference_t<decltype(function)>>(symbol);
        };
        bind(curl.global_init, "curl_global_init");
        bind(curl.easy_init, "curl_easy_init");
        bind(curl.easy_setopt, "curl_easy_setopt");
        bind(curl.easy_perform, "curl_easy_perform");
        bind(curl.easy_getinfo, "curl_easy_getinfo");
        bind(curl.easy_strerror, "curl_easy_strerror");
        bind(curl.easy_cleanup, "curl_easy_cleanup");
        bind(curl.slist_append, "curl_slist_append");
        bind(curl.slist_free_all, "curl_slist_free_all");
        if (!complete) {
            load_error = "libcurl.so.4 lacks a function this program calls: too old a libcurl";
            return nullptr;
        }
        curl.global_init(CURL_GLOBAL_DEFAULT);
        return &curl;
    }();
    if (loaded == nullptr) {
        error = load_error;
    }
    return loaded;
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
    static_cast<std::string*>(user)->append(data, size * count);
    return size * count;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
    const std::string line(data, size * count);
    auto* response = static_cast<HttpResponse*>(user);
    const std::string key = "retry-after:";
    if (line.size() > key.size()) {
        std::string head = line.substr(0, key.size());
        for (auto& c : head) {
            c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        }
        if (head == key) {
            char* end = nullptr;
            const double seconds = std::strtod(line.c_str() + key.size(), &end);
            if (end != line.c_str() + key.size() && seconds >= 0) {
                response->retry_after_s = seconds;
            }
        }
    }
    return size * count;
}

class CurlClient final : public HttpClient {
public:
    explicit CurlClient(long timeout_s) : m_timeout_s(timeout_s) {}

    HttpResponse send(const HttpRequest& request) override {
        HttpResponse response;
        const Curl* lib = curl_library(response.error);
        if (lib == nullptr) {
            return response;
        }
        CURL* curl = lib->easy_init();
        if (curl == nullptr) {
            response.error = "libcurl could not start";
            return response;
        }
        curl_slist* headers = nullptr;
        for (const auto& [name, value] : request.headers) {
            headers = lib->slist_append(headers, (name + ": " + value).c_str());
        }
        lib->easy_setopt(curl, CURLOPT_URL, request.url.c_str());
        lib->easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
        lib->easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
        if (request.method != "GET") {
            lib->easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
            lib->easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                             static_cast<curl_off_t>(request.body.size()));
        }
        lib->easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
        lib->easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
        lib->easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
        lib->easy_setopt(curl, CURLOPT_HEADERDATA, &response);
        lib->easy_setopt(curl, CURLOPT_TIMEOUT, m_timeout_s);
        lib->easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 20L);
        lib->easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
        lib->easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
        lib->easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
        lib->easy_setopt(curl, CURLOPT_USERAGENT, "ultrastrength");
        const CURLcode code = lib->easy_perform(curl);
        if (code != CURLE_OK) {
            response.error = lib->easy_strerror(code);
        } else {
            lib->easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
        }
        lib->slist_free_all(headers);
        lib->easy_cleanup(curl);
        return response;
    }

private:
    long m_timeout_s;
};

bool is_credential_header(const std::string& name) {
    std::string lower;
    for (const char c : name) {
        lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    return lower == "authorization" || lower == "cookie" ||
           lower.find("token") != std::string::npos || lower.find("key") != std::string::npos;
}

} // namespace

std::unique_ptr<HttpClient> make_curl_client(long timeout_s) {
    return std::make_unique<CurlClient>(timeout_s);
}

std::string describe_request(const HttpRequest& request) {
    std::string out = request.method + " " + request.url + "\n";
    for (const auto& [name, value] : request.headers) {
        std::string shown = value;
        if (is_credential_header(name)) {
            const auto space = value.find(' ');
            shown =
                (space == std::string::npos ? std::string() : value.substr(0, space + 1)) + "***";
        }
        out += name + ": " + shown + "\n";
    }
    out += "\n";
    out += request.secret_body ? std::string("(form with credentials, not shown)\n") : request.body;
    return out;
}

bool safe_url(const std::string& url) {
    if (url.rfind("https://", 0) == 0) {
        return true;
    }
    for (const char* local : {"http://127.0.0.1:", "http://127.0.0.1/", "http://localhost:",
                              "http://localhost/", "http://[::1]:", "http://[::1]/"}) {
        if (url.rfind(local, 0) == 0) {
            return true;
        }
    }
    return false;
}

} // namespace ultrastrength::push
