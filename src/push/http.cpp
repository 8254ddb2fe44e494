#include "push/http.hpp"

#include <curl/curl.h>

#include <cstdlib>
#include <mutex>

namespace ultrastrength::push {

namespace {

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
    explicit CurlClient(long timeout_s) : m_timeout_s(timeout_s) {
        static std::once_flag once;
        std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    }

    HttpResponse send(const HttpRequest& request) override {
        HttpResponse response;
        CURL* curl = curl_easy_init();
        if (curl == nullptr) {
            response.error = "libcurl could not start";
            return response;
        }
        curl_slist* headers = nullptr;
        for (const auto& [name, value] : request.headers) {
            headers = curl_slist_append(headers, (name + ": " + value).c_str());
        }
        curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
        curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
        if (request.method != "GET") {
            curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
            curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                             static_cast<curl_off_t>(request.body.size()));
        }
        curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
        curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
        curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response);
        curl_easy_setopt(curl, CURLOPT_TIMEOUT, m_timeout_s);
        curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 20L);
        curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
        curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(curl, CURLOPT_USERAGENT, "ultrastrength");
        const CURLcode code = curl_easy_perform(curl);
        if (code != CURLE_OK) {
            response.error = curl_easy_strerror(code);
        } else {
            curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
        }
        curl_slist_free_all(headers);
        curl_easy_cleanup(curl);
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
