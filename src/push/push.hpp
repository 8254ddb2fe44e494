// The push engine: a plan folder (or a batch folder of them) into one
// platform's calendar. Per session, keyed by its stable id: create what is
// new, update what changed, leave what is unchanged (no request), delete or
// unschedule what is no longer planned, recording each step in the push
// state so a killed run resumes. Prints nothing; the caller reports.
#ifndef ULTRASTRENGTH_PUSH_PUSH_HPP
#define ULTRASTRENGTH_PUSH_PUSH_HPP

#include "model/time.hpp"
#include "push/http.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace ultrastrength::push {

struct PushOptions {
    std::string target;           ///< "intervals-icu", "trainingpeaks", "garmin-training-api"
    std::filesystem::path folder; ///< `plan --out` or `batch --out` folder
    std::filesystem::path config; ///< credentials file
    CivilDate today;              ///< for the platforms' date windows
    std::optional<std::filesystem::path> dry_run; ///< write the requests here, send nothing
    long timeout_s = 60;
    int attempts = 4; ///< tries per request on 429, 5xx and no answer
};

/// The push targets, in the order help lists them.
const std::vector<std::string>& push_targets();

enum class Action { created, updated, unchanged, deleted, failed, refused };
std::string_view to_string(Action action) noexcept;

struct SessionReport {
    std::string athlete;
    std::string session_id; ///< the plan's session id
    std::string date;
    Action action = Action::unchanged;
    std::string message; ///< why it failed or was refused
};

struct PushReport {
    std::vector<SessionReport> sessions;
    std::vector<std::string> errors; ///< whole athletes that could not be pushed
    long requests = 0;
    int count(Action action) const;
};

/// Pushes. Throws PushError when nothing can start (credentials, folder).
PushReport run_push(const PushOptions& options);
/// As run_push, through `http` (tests).
PushReport run_push(const PushOptions& options, HttpClient& http);

/// The one-time browser authorization for an OAuth target: without `code`,
/// returns the URL to open (for Garmin with a PKCE challenge, whose verifier
/// is kept in the config file); with the code the platform redirected to,
/// exchanges it and saves the tokens (mode 0600). Returns the text to show.
std::string login(const std::string& target, const std::filesystem::path& config,
                  const std::optional<std::string>& code, HttpClient& http);

} // namespace ultrastrength::push

#endif
