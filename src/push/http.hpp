// HTTP for the uploaders: a request/response pair, a client interface (libcurl
// for real runs, a recorder for --dry-run) and the masking that keeps secrets
// out of everything printed or written.
#ifndef ULTRASTRENGTH_PUSH_HTTP_HPP
#define ULTRASTRENGTH_PUSH_HTTP_HPP

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ultrastrength::push {

struct HttpRequest {
    std::string method; ///< "GET", "POST", "PUT", "DELETE"
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    /// The body holds secrets (token requests): never written out, even masked.
    bool secret_body = false;
};

struct HttpResponse {
    long status = 0; ///< 0: no answer (connection failed); `error` says why
    std::string body;
    std::optional<double> retry_after_s; ///< the Retry-After header, in seconds
    std::string error;
};

class HttpClient {
public:
    HttpClient() = default;
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;
    virtual ~HttpClient() = default;
    virtual HttpResponse send(const HttpRequest& request) = 0;
};

/// libcurl, TLS verified, `timeout_s` per request, no redirects followed
/// (TrainingPeaks answers plain HTTP with a redirect: a secret must not follow it).
std::unique_ptr<HttpClient> make_curl_client(long timeout_s);

/// The request as text: method and URL, headers (Authorization and any other
/// credential header masked as "Bearer ***"), a blank line and the body.
std::string describe_request(const HttpRequest& request);

/// True for URLs we send credentials to: https, or http to the loopback
/// (127.0.0.1, localhost, [::1]) for local test servers.
bool safe_url(const std::string& url);

} // namespace ultrastrength::push

#endif
