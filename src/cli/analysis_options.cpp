#include "cli/analysis_options.hpp"

#include "history/races.hpp"
#include "model/time.hpp"

#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace ultrastrength::cli {

std::int64_t clock_today() {
    if (const char* fixed = std::getenv("ULTRASTRENGTH_TODAY"); fixed != nullptr && *fixed != 0) {
        const auto date = parse_date(fixed);
        if (!date) {
            throw UsageError(std::string("ULTRASTRENGTH_TODAY '") + fixed +
                             "': expected YYYY-MM-DD");
        }
        return days_from_civil(*date);
    }
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    ::localtime_r(&now, &local);
    return days_from_civil(CivilDate{local.tm_year + 1900, static_cast<unsigned>(local.tm_mon + 1),
                                     static_cast<unsigned>(local.tm_mday)});
}

std::optional<double> parse_pace(std::string text) {
    if (text.size() > 3 && text.substr(text.size() - 3) == "/km") {
        text.resize(text.size() - 3);
    }
    const auto colon = text.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 3 != text.size()) {
        return std::nullopt;
    }
    int minutes = 0;
    for (std::size_t i = 0; i < colon; ++i) {
        if (text[i] < '0' || text[i] > '9') {
            return std::nullopt;
        }
        minutes = minutes * 10 + (text[i] - '0');
        if (minutes > 59) {
            return std::nullopt;
        }
    }
    if (text[colon + 1] < '0' || text[colon + 1] > '5' || text[colon + 2] < '0' ||
        text[colon + 2] > '9') {
        return std::nullopt;
    }
    const int seconds = minutes * 60 + (text[colon + 1] - '0') * 10 + (text[colon + 2] - '0');
    if (seconds == 0) {
        return std::nullopt;
    }
    return 1000.0 / seconds;
}

void AnalysisOptions::add(po::options_description& options,
                          po::positional_options_description& positional) {
    options.add_options()("input", po::value(&inputs)->value_name("INPUT")->multitoken(),
                          "files, folders or archives to read")(
        "race", po::value(&race_texts)->value_name("DATE[,NAME[,KM[,D+]]]")->composing(),
        "a goal or past race (repeatable)")(
        "tz", po::value(&tz)->value_name("OFFSET"),
        "UTC offset for files that do not store one: UTC, +01:00, -05:30")(
        "today", po::value(&today)->value_name("DATE"),
        "analyse as of this date (default: the last activity's date); days up to it "
        "without an activity count as rest unless --no-data marks them")(
        "hrmax", po::value<double>()->value_name("BPM"), "maximum heart rate")(
        "hrrest", po::value<double>()->value_name("BPM"), "resting heart rate")(
        "lthr", po::value<double>()->value_name("BPM"), "lactate-threshold heart rate")(
        "threshold-pace", po::value(&threshold_pace)->value_name("MM:SS"),
        "threshold pace per km (about 1-hour race pace)")(
        "sex", po::value(&sex)->value_name("male|female"), "for the TRIMP weighting")(
        "no-data", po::value(&gap_texts)->value_name("FIRST,LAST")->composing(),
        "days without recorded data (watch forgotten): not counted as rest (repeatable)");
    positional.add("input", -1);
}

void AnalysisOptions::apply(const po::variables_map& vm) {
    if (vm.count("input") == 0 || inputs.empty()) {
        throw UsageError("no INPUT given: name at least one file, folder or archive");
    }
    auto heart_rate = [&](const char* name) -> std::optional<double> {
        if (vm.count(name) == 0) {
            return std::nullopt;
        }
        const double v = vm[name].as<double>();
        if (!(v >= 30 && v <= 250)) {
            char buf[64];
            std::snprintf(buf, sizeof buf, "%g", v);
            throw UsageError(std::string("--") + name + " " + buf +
                             ": expected a heart rate between 30 and 250 bpm");
        }
        return v;
    };
    athlete.hr_max = heart_rate("hrmax");
    athlete.hr_rest = heart_rate("hrrest");
    athlete.lthr = heart_rate("lthr");
    if (athlete.hr_max && athlete.hr_rest && *athlete.hr_rest >= *athlete.hr_max) {
        throw UsageError("--hrrest must be below --hrmax");
    }
    if (!tz.empty()) {
        const auto offset = parse_utc_offset(tz);
        if (!offset) {
            throw UsageError("--tz '" + tz + "': expected UTC or a fixed offset like +01:00");
        }
        offset_s = *offset;
    }
    if (!today.empty()) {
        const auto date = parse_date(today);
        if (!date) {
            throw UsageError("--today '" + today + "': expected YYYY-MM-DD");
        }
        today_day = days_from_civil(*date);
    }
    if (!threshold_pace.empty()) {
        athlete.threshold_speed_mps = parse_pace(threshold_pace);
        if (!athlete.threshold_speed_mps) {
            throw UsageError("--threshold-pace '" + threshold_pace +
                             "': expected minutes:seconds per km, e.g. 4:30");
        }
    }
    if (!sex.empty()) {
        const auto s = sex_from_string(sex);
        if (!s) {
            throw UsageError("--sex '" + sex + "': expected male or female");
        }
        athlete.sex = *s;
    }
    for (const auto& text : race_texts) {
        std::string error;
        auto race = parse_race(text, error);
        if (!race) {
            throw UsageError("--" + error);
        }
        races.push_back(*race);
    }
    for (const auto& text : gap_texts) {
        const auto comma = text.find(',');
        const auto a = parse_date(text.substr(0, comma));
        const auto b = comma == std::string::npos ? a : parse_date(text.substr(comma + 1));
        if (!a || !b) {
            throw UsageError("--no-data '" + text + "': expected FIRST,LAST as YYYY-MM-DD");
        }
        gaps.emplace_back(days_from_civil(*a), days_from_civil(*b));
    }
}

} // namespace ultrastrength::cli
