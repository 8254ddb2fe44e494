// intervals.icu (docs/push.md, "intervals.icu"): planned workouts are
// calendar events, upserted by our session id in `external_id`
// (POST /api/v1/athlete/{id}/events/bulk?upsert=true) with the session's FIT
// workout in `file_contents_base64`, and deleted by external id
// (PUT /api/v1/athlete/{id}/events/bulk-delete). Contract pinned in
// tests/push/intervals-icu-openapi.json.
#include "push/uploader.hpp"

#include "push/crypto.hpp"

namespace ultrastrength::push {

namespace {

class IntervalsIcuUploader final : public Uploader {
public:
    IntervalsIcuUploader(Api& api, const Credentials& credentials, const std::string& athlete)
        : m_api(api) {
        m_base = credentials.get("base_url").value_or("https://intervals.icu");
        // "0" is the athlete the key belongs to; a coach names each athlete's id.
        m_athlete = credentials.get_for(athlete, "athlete_id").value_or("0");
    }

    nlohmann::json payload(const PushSession& session, const PlanFolder& folder) const override {
        if (!session.fit_file) {
            throw PushError((folder.path / ("garmin-fit/" + session.stem + ".fit")).string() +
                            ": missing; intervals.icu takes the FIT workout: plan with "
                            "--format garmin-fit");
        }
        return {
            {"category", "WORKOUT"},
            {"start_date_local", format_date(session.date) + "T00:00:00"},
            {"type", "WeightTraining"},
            {"name", session.title},
            {"description", session_description(session.plan)},
            {"moving_time", session.plan.value("estimated_minutes", 0) * 60},
            {"external_id", session.id},
            {"filename", session.stem + ".fit"},
            {"file_contents_base64", base64(*session.fit_file)},
        };
    }

    std::string refuse(const PushSession&, CivilDate) const override { return {}; }

    nlohmann::json upsert(const PushSession&, const nlohmann::json& payload, const nlohmann::json&,
                          const std::function<void(const nlohmann::json&)>&) override {
        const auto answer = m_api.call("POST", events_url() + "/bulk?upsert=true",
                                       nlohmann::json::array({payload}));
        nlohmann::json remote = {{"external_id", payload["external_id"]}};
        if (answer.is_array() && !answer.empty() && answer[0].contains("id")) {
            remote["event_id"] = answer[0]["id"];
        }
        return remote;
    }

    // Upserts match on external_id: a create a killed push left is simply updated.
    nlohmann::json find(const PushSession&, const nlohmann::json&) override { return nullptr; }

    void remove(const std::string& session_id, const std::string&, const nlohmann::json&) override {
        m_api.call("PUT", events_url() + "/bulk-delete",
                   nlohmann::json::array({{{"external_id", session_id}}}));
    }

private:
    std::string events_url() const { return m_base + "/api/v1/athlete/" + m_athlete + "/events"; }

    Api& m_api;
    std::string m_base;
    std::string m_athlete;
};

} // namespace

std::unique_ptr<Uploader> make_intervals_icu_uploader(Api& api, const Credentials& credentials,
                                                      const std::string& athlete) {
    return std::make_unique<IntervalsIcuUploader>(api, credentials, athlete);
}

} // namespace ultrastrength::push
