// One platform account as the uploaders talk to it: the auth header, retries
// with backoff on 429 and 5xx within a bound, one token refresh on 401 (the
// rotated tokens written back to the config file), and every request and
// response status counted for the report.
#ifndef ULTRASTRENGTH_PUSH_API_HPP
#define ULTRASTRENGTH_PUSH_API_HPP

#include "push/credentials.hpp"
#include "push/http.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>

namespace ultrastrength::push {

/// One request failed for good (after retries); `status` 0 = no answer.
class RequestError : public std::runtime_error {
public:
    RequestError(long status, const std::string& message)
        : std::runtime_error(message), m_status(status) {}
    long status() const noexcept { return m_status; }

private:
    long m_status;
};

struct RetryPolicy {
    int attempts = 4;        ///< tries per request, the first included
    double base_delay_s = 2; ///< doubled after each try
    double max_delay_s = 60; ///< a longer Retry-After gives up instead of waiting
};

enum class AuthKind { basic_api_key, bearer_oauth };

class Api {
public:
    /// `refresh`: the OAuth token endpoint; unset for API keys.
    Api(HttpClient& http, Credentials& credentials, AuthKind kind, RetryPolicy retry, bool dry_run);

    /// Sends `body` (JSON unless `content_type` says otherwise) and returns the
    /// answer's body parsed as JSON (null when empty or not JSON). 2xx only;
    /// throws RequestError otherwise.
    nlohmann::json call(const std::string& method, const std::string& url,
                        const std::optional<nlohmann::json>& body);

    /// Throws PushError when the credentials a real run needs are missing.
    void check_credentials() const;

    long requests() const noexcept { return m_requests; }
    /// The dry run's stand-in answers: ids counted from 1000001.
    std::int64_t next_fake_id() noexcept { return m_fake_id++; }
    bool dry_run() const noexcept { return m_dry_run; }

private:
    HttpRequest build(const std::string& method, const std::string& url,
                      const std::optional<nlohmann::json>& body) const;
    void refresh_token();

    HttpClient& m_http;
    Credentials& m_credentials;
    AuthKind m_kind;
    RetryPolicy m_retry;
    bool m_dry_run;
    long m_requests = 0;
    std::int64_t m_fake_id = 1000001;
};

/// Sleeps; tests shorten it with ULTRASTRENGTH_PUSH_DELAY_SCALE.
void backoff_sleep(double seconds);

} // namespace ultrastrength::push

#endif
