#include "push/api.hpp"

#include "push/crypto.hpp"

#include <chrono>
#include <cstdlib>
#include <thread>

namespace ultrastrength::push {

namespace {

std::string form_escape(const std::string& value) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (const unsigned char c : value) {
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

std::string short_body(const std::string& body) {
    std::string out;
    for (const char c : body.substr(0, 160)) {
        out += (c == '\n' || c == '\r') ? ' ' : c;
    }
    return out;
}

} // namespace

void backoff_sleep(double seconds) {
    double scale = 1;
    if (const char* text = std::getenv("ULTRASTRENGTH_PUSH_DELAY_SCALE"); text != nullptr) {
        scale = std::strtod(text, nullptr);
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds * scale));
}

Api::Api(HttpClient& http, Credentials& credentials, AuthKind kind, RetryPolicy retry, bool dry_run)
    : m_http(http), m_credentials(credentials), m_kind(kind), m_retry(retry), m_dry_run(dry_run) {}

HttpRequest Api::build(const std::string& method, const std::string& url,
                       const std::optional<nlohmann::json>& body) const {
    if (!safe_url(url)) {
        throw RequestError(0, url + ": refused: credentials go over https only");
    }
    HttpRequest request{method, url, {}, {}, false};
    if (m_kind == AuthKind::basic_api_key) {
        auto key = m_credentials.get("api_key");
        if (!key && m_dry_run) {
            key = "not-set"; // a dry run shows the header; its value is masked anyway
        }
        if (!key) {
            throw PushError("no api_key for " + m_credentials.target() + " in " +
                            m_credentials.path().string() + " or ULTRASTRENGTH_" +
                            "INTERVALS_ICU_API_KEY (docs/push.md, \"Credentials\")");
        }
        // intervals.icu: HTTP Basic, user name "API_KEY", password the key.
        request.headers.emplace_back("Authorization", "Basic " + base64("API_KEY:" + *key));
    } else {
        auto token = m_credentials.get("access_token");
        if (!token && m_dry_run) {
            token = "not-set";
        }
        if (!token) {
            throw PushError("no access_token for " + m_credentials.target() + " in " +
                            m_credentials.path().string() + "; run `ultrastrength push --login " +
                            m_credentials.target() + "` once");
        }
        request.headers.emplace_back("Authorization", "Bearer " + *token);
    }
    request.headers.emplace_back("Accept", "application/json");
    if (body) {
        request.headers.emplace_back("Content-Type", "application/json");
        request.body = body->dump(2) + "\n";
    }
    return request;
}

void Api::check_credentials() const {
    if (!m_dry_run) {
        build("GET", "https://check.invalid/", std::nullopt);
    }
}

void Api::refresh_token() {
    const auto refresh = m_credentials.get("refresh_token");
    const auto token_url = m_credentials.get("token_url");
    const auto client_id = m_credentials.get("client_id");
    if (!refresh || !token_url || !client_id) {
        throw RequestError(401, "the access token was refused and no refresh_token, token_url "
                                "and client_id are set; run `ultrastrength push --login " +
                                    m_credentials.target() + "`");
    }
    if (!safe_url(*token_url)) {
        throw RequestError(0, "token_url refused: credentials go over https only");
    }
    HttpRequest request{"POST", *token_url, {}, {}, true};
    request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    request.headers.emplace_back("Accept", "application/json");
    request.body = "grant_type=refresh_token&refresh_token=" + form_escape(*refresh) +
                   "&client_id=" + form_escape(*client_id);
    if (const auto secret = m_credentials.get("client_secret")) {
        request.body += "&client_secret=" + form_escape(*secret);
    }
    ++m_requests;
    const auto response = m_http.send(request);
    if (response.status < 200 || response.status >= 300) {
        // The token endpoint's body may echo credentials: only the status is shown.
        throw RequestError(
            401, "refreshing the access token failed (HTTP " + std::to_string(response.status) +
                     "); run `ultrastrength push --login " + m_credentials.target() + "`");
    }
    nlohmann::json answer;
    try {
        answer = nlohmann::json::parse(response.body);
    } catch (const nlohmann::json::exception&) {
        throw RequestError(401, "the token endpoint answered something other than JSON");
    }
    if (!answer.contains("access_token") || !answer["access_token"].is_string()) {
        throw RequestError(401, "the token endpoint gave no access_token");
    }
    nlohmann::json update = {{"access_token", answer["access_token"]}};
    // Rotating refresh tokens (TrainingPeaks, Garmin) are single-use: the new
    // one must be saved before anything else can fail.
    if (answer.contains("refresh_token") && answer["refresh_token"].is_string()) {
        update["refresh_token"] = answer["refresh_token"];
    }
    m_credentials.set_all(update);
}

nlohmann::json Api::call(const std::string& method, const std::string& url,
                         const std::optional<nlohmann::json>& body) {
    bool refreshed = false;
    for (int attempt = 1;; ++attempt) {
        const auto request = build(method, url, body);
        ++m_requests;
        const auto response = m_http.send(request);
        if (response.status >= 200 && response.status < 300) {
            if (response.body.empty()) {
                return nullptr;
            }
            try {
                return nlohmann::json::parse(response.body);
            } catch (const nlohmann::json::exception&) {
                return nullptr;
            }
        }
        if (response.status == 401 && m_kind == AuthKind::bearer_oauth && !refreshed) {
            refresh_token();
            refreshed = true;
            --attempt;
            continue;
        }
        const bool transient = response.status == 0 || response.status == 429 ||
                               (response.status >= 500 && response.status < 600);
        std::string what = method + " " + url + ": ";
        what +=
            response.status == 0
                ? response.error
                : "HTTP " + std::to_string(response.status) +
                      (response.body.empty() ? std::string() : ": " + short_body(response.body));
        if (!transient || attempt >= m_retry.attempts) {
            if (transient) {
                what += " (gave up after " + std::to_string(attempt) + " tries)";
            }
            throw RequestError(response.status, what);
        }
        double delay = m_retry.base_delay_s * static_cast<double>(1 << (attempt - 1));
        if (response.retry_after_s) {
            if (*response.retry_after_s > m_retry.max_delay_s) {
                throw RequestError(response.status,
                                   what + " (asked to wait longer than " +
                                       std::to_string(static_cast<int>(m_retry.max_delay_s)) +
                                       " s; the next run resumes)");
            }
            delay = std::max(delay, *response.retry_after_s);
        }
        backoff_sleep(std::min(delay, m_retry.max_delay_s));
    }
}

} // namespace ultrastrength::push
