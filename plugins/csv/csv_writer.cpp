#include "plugins/csv/csv_writer.hpp"

#include "model/text.hpp"
#include "plugins/prescription.hpp"

#include <string>
#include <vector>

namespace ultrastrength {

namespace detail {

std::string csv_field(std::string_view text) {
    return csv_cell(text); // quoting and formula neutralising, for every CSV we write
}

} // namespace detail

namespace {

constexpr const char* columns[] = {
    "date",    "athlete",      "session_id", "session",     "phase",       "kind",
    "block",   "group",        "order",      "exercise_id", "exercise",    "sets",
    "reps",    "seconds",      "per_side",   "rest_s",      "percent_1rm", "reps_in_reserve",
    "load_kg", "fit_category", "fit_name",   "cue"};

template <typename T> std::string optional_text(const std::optional<T>& value) {
    if (!value) {
        return {};
    }
    if constexpr (std::is_floating_point_v<T>) {
        return detail::format_decimal(*value, 2);
    } else {
        return std::to_string(*value);
    }
}

class CsvWriter final : public Writer {
public:
    std::string_view name() const noexcept override { return "csv"; }
    std::string_view description() const noexcept override {
        return "CSV, one row per exercise (date, session, phase, block, sets, reps or seconds, "
               "rest, intensity) for spreadsheets";
    }
    std::string_view extension() const noexcept override { return ".csv"; }

    void write(const Plan& plan, const WriteOptions& /*options*/, OutputSink& sink) const override {
        sink.put("csv/" + detail::athlete_stem(plan) + ".csv", header() + rows(plan));
    }

    /// plans.csv: every athlete's rows under one header, in roster order
    /// (empty when no athlete was planned).
    std::string_view roster_file_name() const noexcept override { return "plans.csv"; }
    std::string roster_part(const RosterPlan& athlete) const override {
        return rows(*athlete.plan);
    }
    std::string roster_file(const std::vector<std::string>& parts) const override {
        if (parts.empty()) {
            return {};
        }
        std::string out = header();
        for (const auto& part : parts) {
            out += part;
        }
        return out;
    }

private:
    // RFC 4180: CRLF after every record, the header included.
    static void row(std::string& out, const std::vector<std::string>& fields) {
        for (std::size_t i = 0; i < fields.size(); ++i) {
            if (i > 0) {
                out += ',';
            }
            out += detail::csv_field(fields[i]);
        }
        out += "\r\n";
    }

    static std::string header() {
        std::string out;
        row(out, std::vector<std::string>(std::begin(columns), std::end(columns)));
        return out;
    }

    static std::string rows(const Plan& plan) {
        std::string out;
        for (const auto& session : plan.sessions) {
            for (std::size_t b = 0; b < session.blocks.size(); ++b) {
                const auto& block = session.blocks[b];
                for (std::size_t s = 0; s < block.steps.size(); ++s) {
                    const auto& step = block.steps[s];
                    row(out, {format_date(session.date),
                              plan.athlete_id,
                              session.id,
                              session.title,
                              std::string(to_string(session.phase)),
                              session.kind,
                              detail::block_label(b),
                              std::string(to_string(block.group)),
                              std::to_string(s + 1),
                              step.exercise_id,
                              step.name,
                              std::to_string(block.sets),
                              optional_text(step.reps),
                              optional_text(step.seconds),
                              step.per_side ? "yes" : "no",
                              std::to_string(step.rest_s),
                              optional_text(step.percent_1rm),
                              optional_text(step.reps_in_reserve),
                              optional_text(step.load_kg),
                              optional_text(step.fit_category),
                              optional_text(step.fit_name),
                              step.cue});
                }
            }
        }
        return out;
    }
};

} // namespace

std::unique_ptr<Writer> make_csv_writer() {
    return std::make_unique<CsvWriter>();
}

} // namespace ultrastrength
