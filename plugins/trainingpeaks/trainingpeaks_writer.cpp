#include "plugins/trainingpeaks/trainingpeaks_writer.hpp"

#include "plugins/prescription.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <string>

namespace ultrastrength {

namespace {

using Json = nlohmann::ordered_json;

/// POST /v2/workouts/plan body (TrainingPeaks PartnersAPI wiki, "Workouts Create").
Json planned_workout(const Plan& plan, const PlanSession& session, const WriteOptions& options) {
    Json out;
    if (options.trainingpeaks_athlete_id) {
        out["AthleteId"] = *options.trainingpeaks_athlete_id;
    }
    out["WorkoutDay"] = format_date(session.date);
    out["WorkoutType"] = "strength";
    out["Title"] = session.title;
    if (session.estimated_minutes > 0) {
        // Decimal hours; two decimals are finer than the minutes we plan in.
        out["TotalTimePlanned"] = std::round(session.estimated_minutes / 60.0 * 100.0) / 100.0;
    }
    if (session.estimated_load > 0) {
        out["TSSPlanned"] = std::round(session.estimated_load * 10.0) / 10.0;
    }
    // TrainingPeaks renders line breaks and Unicode, not Markdown or HTML (§3.2).
    out["Description"] = detail::prescription_text(plan, session, options.weight_unit);
    Json tags = Json::array({"strength", std::string(to_string(session.phase))});
    if (const auto kind = detail::slug(session.kind, 40);
        !kind.empty() && kind != "strength" && kind != to_string(session.phase)) {
        tags.push_back(kind);
    }
    out["Tags"] = std::move(tags);
    return out;
}

class TrainingPeaksWriter final : public Writer {
public:
    std::string_view name() const noexcept override { return "trainingpeaks"; }
    std::string_view description() const noexcept override {
        return "TrainingPeaks planned workout JSON per session (Partner API, WorkoutType strength) "
               "and the prescription as plain text";
    }
    std::string_view extension() const noexcept override { return ".json"; }

    void write(const Plan& plan, const WriteOptions& options, OutputSink& sink) const override {
        const auto stems = detail::session_file_stems(plan);
        for (std::size_t i = 0; i < plan.sessions.size(); ++i) {
            const auto& session = plan.sessions[i];
            sink.put("trainingpeaks/" + stems[i] + ".json",
                     planned_workout(plan, session, options).dump(2) + '\n');
            sink.put("trainingpeaks/" + stems[i] + ".txt",
                     detail::prescription_text(plan, session, options.weight_unit));
        }
    }

    /// trainingpeaks.json: every athlete's planned workouts in one JSON
    /// array, in roster order, each athlete's by file name (date first).
    void write_roster(const std::vector<RosterPlan>& plans, OutputSink& sink) const override {
        Json all = Json::array();
        for (const auto& athlete : plans) {
            const auto stems = detail::session_file_stems(*athlete.plan);
            std::vector<std::size_t> order(stems.size());
            for (std::size_t i = 0; i < order.size(); ++i) {
                order[i] = i;
            }
            std::sort(order.begin(), order.end(),
                      [&](std::size_t a, std::size_t b) { return stems[a] < stems[b]; });
            for (const std::size_t i : order) {
                all.push_back(
                    planned_workout(*athlete.plan, athlete.plan->sessions[i], athlete.options));
            }
        }
        sink.put("trainingpeaks.json", all.dump(2) + "\n");
    }
};

} // namespace

std::unique_ptr<Writer> make_trainingpeaks_writer() {
    return std::make_unique<TrainingPeaksWriter>();
}

} // namespace ultrastrength
