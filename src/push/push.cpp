#include "push/push.hpp"

#include "push/crypto.hpp"

#include "push/push_state.hpp"
#include "push/uploader.hpp"

#include <cstdio>
#include <fstream>
#include <map>
#include <set>

namespace ultrastrength::push {

namespace {

/// --dry-run: each request goes to a numbered file, nothing is sent, every
/// answer is an empty 200 (the uploaders make up ids counted from 1000001).
class RecordingClient final : public HttpClient {
public:
    explicit RecordingClient(std::filesystem::path folder) : m_folder(std::move(folder)) {
        std::error_code ec;
        std::filesystem::create_directories(m_folder, ec);
        if (ec) {
            throw PushError(m_folder.string() + ": cannot create: " + ec.message());
        }
        // A rerun into the same folder must not leave an older run's requests.
        for (const auto& entry : std::filesystem::directory_iterator(m_folder)) {
            if (entry.path().extension() == ".http") {
                std::filesystem::remove(entry.path(), ec);
            }
        }
    }

    HttpResponse send(const HttpRequest& request) override {
        char name[32];
        std::snprintf(name, sizeof name, "%04d-%s.http", ++m_count, request.method.c_str());
        std::ofstream out(m_folder / name, std::ios::binary);
        out << describe_request(request);
        if (!out) {
            HttpResponse failed;
            failed.error = (m_folder / name).string() + ": cannot write";
            return failed;
        }
        HttpResponse response;
        response.status = 200;
        return response;
    }

private:
    std::filesystem::path m_folder;
    int m_count = 0;
};

std::string b64url(const std::string& bytes) {
    std::string out = base64(bytes);
    while (!out.empty() && out.back() == '=') {
        out.pop_back();
    }
    for (auto& c : out) {
        c = c == '+' ? '-' : c == '/' ? '_' : c;
    }
    return out;
}

std::string url_escape(const std::string& value) {
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

struct OAuthTarget {
    const char* authorize_url;
    const char* token_url;
    const char* scope;
    bool pkce;
};

std::optional<OAuthTarget> oauth_target(const std::string& target) {
    if (target == "trainingpeaks") {
        return OAuthTarget{"https://oauth.trainingpeaks.com/OAuth/Authorize",
                           "https://oauth.trainingpeaks.com/oauth/token",
                           "workouts:plan athlete:profile", false};
    }
    if (target == "garmin-training-api") {
        return OAuthTarget{"https://connect.garmin.com/oauth2Confirm",
                           "https://diauth.garmin.com/di-oauth2-service/oauth/token", "", true};
    }
    return std::nullopt;
}

void push_athlete(const PushOptions& options, const std::filesystem::path& path, Api& api,
                  const Credentials& credentials, PushReport& report) {
    const auto folder = read_plan_folder(path);
    auto uploader = make_uploader(options.target, api, credentials, folder.athlete_id);
    PushState state(path, options.target);
    auto& recorded = state.sessions();
    const bool dry = options.dry_run.has_value();
    auto save = [&] {
        if (!dry) {
            state.save();
        }
    };
    auto add = [&](const std::string& id, CivilDate date, Action action, std::string message) {
        report.sessions.push_back(
            {folder.athlete_id, id, format_date(date), action, std::move(message)});
    };

    std::set<std::string> planned;
    for (const auto& session : folder.sessions) {
        planned.insert(session.id);
        nlohmann::json payload;
        try {
            payload = uploader->payload(session, folder);
        } catch (const PushError& e) {
            // No request can be made: a refusal (no athlete id, outside the
            // date window) says why better than the missing file does.
            if (auto why = uploader->refuse(session, options.today); !why.empty()) {
                add(session.id, session.date, Action::refused, why);
            } else {
                add(session.id, session.date, Action::failed, e.what());
            }
            continue;
        }
        const std::string hash = stable_hash(payload.dump());
        auto found = recorded.find(session.id);
        const bool known = found != recorded.end();
        if (known && (*found)["hash"] == hash && !found->value("pending", false)) {
            add(session.id, session.date, Action::unchanged, {});
            continue;
        }
        if (auto why = uploader->refuse(session, options.today); !why.empty()) {
            add(session.id, session.date, Action::refused, why);
            continue;
        }
        try {
            nlohmann::json remote = known ? (*found)["remote"] : nlohmann::json();
            if (known && found->value("pending", false) && remote.is_null()) {
                // A create was under way when the last run stopped: it may have landed.
                remote = uploader->find(session, payload);
            }
            const bool update = !remote.is_null();
            if (!update) {
                recorded[session.id] = {{"hash", nullptr},
                                        {"date", format_date(session.date)},
                                        {"remote", nullptr},
                                        {"pending", true}};
                save();
            }
            auto checkpoint = [&](const nlohmann::json& partial) {
                recorded[session.id]["remote"] = partial;
                recorded[session.id]["pending"] = true;
                save();
            };
            remote = uploader->upsert(session, payload, remote, checkpoint);
            recorded[session.id] = {{"hash", hash},
                                    {"date", format_date(session.date)},
                                    {"remote", remote},
                                    {"pending", false}};
            save();
            add(session.id, session.date, update ? Action::updated : Action::created, {});
        } catch (const RequestError& e) {
            std::string message = e.what();
            if (e.status() == 403 && options.target == "trainingpeaks") {
                message += " (TrainingPeaks plans future workouts only for a Premium athlete or "
                           "a coach of the athlete)";
            } else if (e.status() == 403 || e.status() == 412) {
                message += " (the account has not granted this app the permission)";
            }
            add(session.id, session.date, Action::failed, message);
        }
    }

    // Sessions pushed before and no longer planned. Days before the plan's
    // start (or today) are history: they stay on the calendar and leave the state.
    const auto keep_before =
        std::max(days_from_civil(folder.start), days_from_civil(options.today));
    std::vector<std::string> gone;
    for (const auto& [id, entry] : recorded.items()) {
        if (planned.count(id) == 0) {
            gone.push_back(id);
        }
    }
    for (const auto& id : gone) {
        const auto entry = recorded[id];
        const auto date = parse_date(entry.value("date", "")).value_or(CivilDate{});
        if (days_from_civil(date) < keep_before) {
            recorded.erase(id);
            save();
            continue;
        }
        try {
            uploader->remove(id, format_date(date), entry["remote"]);
            recorded.erase(id);
            save();
            add(id, date, Action::deleted, {});
        } catch (const RequestError& e) {
            add(id, date, Action::failed, e.what());
        }
    }
}

} // namespace

std::string_view to_string(Action action) noexcept {
    switch (action) {
    case Action::created:
        return "created";
    case Action::updated:
        return "updated";
    case Action::unchanged:
        return "unchanged";
    case Action::deleted:
        return "deleted";
    case Action::failed:
        return "failed";
    case Action::refused:
        return "refused";
    }
    return "unknown";
}

int PushReport::count(Action action) const {
    int n = 0;
    for (const auto& s : sessions) {
        n += s.action == action ? 1 : 0;
    }
    return n;
}

const std::vector<std::string>& push_targets() {
    static const std::vector<std::string> targets = {"intervals-icu", "trainingpeaks",
                                                     "garmin-training-api"};
    return targets;
}

std::unique_ptr<Uploader> make_uploader(const std::string& target, Api& api,
                                        const Credentials& credentials,
                                        const std::string& athlete) {
    if (target == "intervals-icu") {
        return make_intervals_icu_uploader(api, credentials, athlete);
    }
    if (target == "trainingpeaks") {
        return make_trainingpeaks_uploader(api, credentials, athlete);
    }
    if (target == "garmin-training-api") {
        return make_garmin_training_uploader(api, credentials, athlete);
    }
    throw PushError("unknown push target '" + target + "'");
}

std::string id_marker(const std::string& session_id) {
    return "ultrastrength-id: " + session_id;
}

std::string session_description(const nlohmann::json& plan_session) {
    std::string out = plan_session.value("title", "") + "\n" + plan_session.value("date", "") +
                      " · " + plan_session.value("phase", "") + " phase · about " +
                      std::to_string(plan_session.value("estimated_minutes", 0)) + " min\n";
    char letter = 'A';
    for (const auto& block : plan_session.value("blocks", nlohmann::json::array())) {
        out += "\n";
        out += letter;
        out += "  " + block.value("group", std::string()) + ", " +
               std::to_string(block.value("sets", 1)) + " rounds:\n";
        int n = 1;
        for (const auto& step : block.value("steps", nlohmann::json::array())) {
            out += std::string(1, letter) + std::to_string(n++) + " " + step.value("name", "");
            if (step.contains("reps")) {
                out += " – " + std::to_string(step["reps"].get<int>()) +
                       (step.value("per_side", false) ? "/side" : "");
            } else if (step.contains("seconds")) {
                out += " – " + std::to_string(step["seconds"].get<int>()) + " s" +
                       (step.value("per_side", false) ? "/side" : "");
            }
            out += ", rest " + std::to_string(step.value("rest_s", 0)) + " s\n";
        }
        ++letter;
    }
    return out;
}

PushReport run_push(const PushOptions& options) {
    if (options.dry_run) {
        RecordingClient recorder(*options.dry_run);
        return run_push(options, recorder);
    }
    auto curl = make_curl_client(options.timeout_s);
    return run_push(options, *curl);
}

PushReport run_push(const PushOptions& options, HttpClient& http) {
    if (std::find(push_targets().begin(), push_targets().end(), options.target) ==
        push_targets().end()) {
        throw PushError("unknown push target '" + options.target + "'");
    }
    HttpClient* client = &http;
    Credentials credentials(options.config, options.target);
    const auto folders = plan_folders(options.folder);
    RetryPolicy retry;
    retry.attempts = options.attempts;
    const auto kind =
        options.target == "intervals-icu" ? AuthKind::basic_api_key : AuthKind::bearer_oauth;
    PushReport report;
    Api(*client, credentials, kind, retry, options.dry_run.has_value()).check_credentials();
    for (const auto& folder : folders) {
        Api api(*client, credentials, kind, retry, options.dry_run.has_value());
        try {
            push_athlete(options, folder, api, credentials, report);
        } catch (const PushError& e) {
            report.errors.push_back(e.what());
        }
        report.requests += api.requests();
    }
    return report;
}

std::string login(const std::string& target, const std::filesystem::path& config,
                  const std::optional<std::string>& code, HttpClient& http) {
    if (target == "intervals-icu") {
        return "intervals.icu uses a personal API key, no browser step: copy it from "
               "intervals.icu Settings > Developer Settings into \"api_key\" of the "
               "\"intervals-icu\" section of " +
               config.string() + " (chmod 600), or set ULTRASTRENGTH_INTERVALS_ICU_API_KEY.\n";
    }
    const auto oauth = oauth_target(target);
    if (!oauth) {
        throw PushError("unknown push target '" + target + "'");
    }
    Credentials credentials(config, target);
    const auto client_id = credentials.get("client_id");
    const auto redirect = credentials.get("redirect_uri");
    if (!client_id || !redirect) {
        throw PushError(config.string() +
                        ": set \"client_id\" and \"redirect_uri\" (and "
                        "\"client_secret\" where the platform issued one) in the \"" +
                        target + "\" section first (docs/push.md)");
    }
    const auto token_url = credentials.get("token_url").value_or(oauth->token_url);
    if (!code) {
        std::string url = credentials.get("authorize_url").value_or(oauth->authorize_url) +
                          "?response_type=code&client_id=" + url_escape(*client_id) +
                          "&redirect_uri=" + url_escape(*redirect);
        if (*oauth->scope != '\0') {
            url += "&scope=" + url_escape(oauth->scope);
        }
        nlohmann::json saved = {{"token_url", token_url}};
        if (oauth->pkce) {
            // RFC 7636: a 43-character verifier, its SHA-256 as the S256 challenge.
            const auto verifier = b64url(random_bytes(32));
            url += "&code_challenge=" + b64url(sha256(verifier)) + "&code_challenge_method=S256";
            saved["pkce_verifier"] = verifier;
        }
        credentials.set_all(saved);
        return "Open this address in a browser, sign in and allow access:\n  " + url +
               "\nThen run: ultrastrength push --login " + target +
               " --code CODE (the code= value of the address the browser lands on).\n";
    }
    std::string body = "grant_type=authorization_code&code=" + url_escape(*code) +
                       "&client_id=" + url_escape(*client_id) +
                       "&redirect_uri=" + url_escape(*redirect);
    if (const auto secret = credentials.get("client_secret")) {
        body += "&client_secret=" + url_escape(*secret);
    }
    if (oauth->pkce) {
        const auto verifier = credentials.get("pkce_verifier");
        if (!verifier) {
            throw PushError("run `ultrastrength push --login " + target +
                            "` without --code first: it makes the PKCE challenge");
        }
        body += "&code_verifier=" + url_escape(*verifier);
    }
    if (!safe_url(token_url)) {
        throw PushError("token_url refused: credentials go over https only");
    }
    HttpRequest request{"POST", token_url, {}, body, true};
    request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    request.headers.emplace_back("Accept", "application/json");
    const auto response = http.send(request);
    nlohmann::json answer;
    try {
        answer = nlohmann::json::parse(response.body);
    } catch (const nlohmann::json::exception&) {
    }
    if (response.status != 200 || !answer.contains("access_token")) {
        throw PushError("the authorization code was not accepted (HTTP " +
                        std::to_string(response.status) + "); run --login again for a new one");
    }
    nlohmann::json saved = {{"access_token", answer["access_token"]}, {"token_url", token_url}};
    if (answer.contains("refresh_token")) {
        saved["refresh_token"] = answer["refresh_token"];
    }
    saved["pkce_verifier"] = nullptr;
    credentials.set_all(saved);
    return "Authorized: tokens saved in " + config.string() + " (mode 0600).\n";
}

} // namespace ultrastrength::push
