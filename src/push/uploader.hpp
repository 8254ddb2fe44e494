// The uploader contract: one per platform, each the same small shape. The
// push engine (push.hpp) decides what to create, update, leave or delete
// from the push state; an uploader only knows its platform's requests.
#ifndef ULTRASTRENGTH_PUSH_UPLOADER_HPP
#define ULTRASTRENGTH_PUSH_UPLOADER_HPP

#include "push/api.hpp"
#include "push/plan_folder.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ultrastrength::push {

class Uploader {
public:
    Uploader() = default;
    Uploader(const Uploader&) = delete;
    Uploader& operator=(const Uploader&) = delete;
    virtual ~Uploader() = default;

    /// What the platform is sent for `session` (its hash decides "unchanged").
    /// Throws PushError when the plan folder lacks a file it needs.
    virtual nlohmann::json payload(const PushSession& session, const PlanFolder& folder) const = 0;
    /// Why the platform would refuse the session (date window, account type),
    /// checked before sending; empty when it may be sent.
    virtual std::string refuse(const PushSession& session, CivilDate today) const = 0;
    /// Creates the session (`remote` null) or updates it. `checkpoint` records
    /// a partial remote record (a workout created but not yet scheduled) so a
    /// killed push resumes from it. Returns the remote record to keep.
    virtual nlohmann::json upsert(const PushSession& session, const nlohmann::json& payload,
                                  const nlohmann::json& remote,
                                  const std::function<void(const nlohmann::json&)>& checkpoint) = 0;
    /// Looks for a session a killed push created without recording it;
    /// null when there is none.
    virtual nlohmann::json find(const PushSession& session, const nlohmann::json& payload) = 0;
    /// Deletes (or unschedules) a session no longer planned.
    virtual void remove(const std::string& session_id, const std::string& date,
                        const nlohmann::json& remote) = 0;
};

/// The push targets, in the order help lists them.
const std::vector<std::string>& push_targets();

/// Makes the uploader for `target` ("intervals-icu", "trainingpeaks",
/// "garmin-training-api") on `api`; `athlete` picks per-athlete settings.
std::unique_ptr<Uploader> make_uploader(const std::string& target, Api& api,
                                        const Credentials& credentials, const std::string& athlete);

/// The marker line that carries our session id in a platform's description.
std::string id_marker(const std::string& session_id);

/// The session as plain text for a platform's description field.
std::string session_description(const nlohmann::json& plan_session);

/// Factories, one per platform file.
std::unique_ptr<Uploader> make_intervals_icu_uploader(Api& api, const Credentials& credentials,
                                                      const std::string& athlete);
std::unique_ptr<Uploader> make_trainingpeaks_uploader(Api& api, const Credentials& credentials,
                                                      const std::string& athlete);
std::unique_ptr<Uploader> make_garmin_training_uploader(Api& api, const Credentials& credentials,
                                                        const std::string& athlete);

} // namespace ultrastrength::push

#endif
