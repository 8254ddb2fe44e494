#include "converters/exports/export_index.hpp"

#include "converters/exports/csv.hpp"
#include "converters/reader.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>

namespace ultrastrength {

namespace {

std::string_view base_name(std::string_view path) noexcept {
    const auto slash = path.find_last_of("/!\\");
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

bool ends_with(std::string_view s, std::string_view suffix) noexcept {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

ExportIndex parse_strava(std::string_view text, const std::string& source) {
    const CsvTable table = parse_csv(text);
    if (table.unterminated_quote_line) {
        throw ReadError(source, {std::nullopt, *table.unterminated_quote_line},
                        "quoted field not closed before the end of the file");
    }
    if (table.rows.empty()) {
        throw ReadError(source, {}, "empty activities.csv");
    }
    const CsvHeader header(table.rows.front());
    // English headers (2019+ and the older lower-case ones), then the German
    // export's names (geo-activity-playground issues 191/393).
    const auto file_col = header.find_any({"Filename", "filename", "Dateiname"});
    const auto name_col =
        header.find_any({"Activity Name", "name", "Name der Aktivität", "Aktivitätsname"});
    const auto type_col =
        header.find_any({"Activity Type", "type", "Aktivitätsart", "Aktivitätstyp"});
    ExportIndex index;
    index.kind = ExportIndex::Kind::strava;
    index.source = source;
    index.base = source.substr(0, source.size() - base_name(source).size());
    if (!file_col) {
        // Some other tool's activities.csv, or a localisation not known
        // here: the files still give their own sport (spec 4.1).
        index.unusable = "no Filename column in the header; the files' own names and sports "
                         "are kept";
        return index;
    }
    for (std::size_t r = 1; r < table.rows.size(); ++r) {
        const CsvRow& row = table.rows[r];
        if (*file_col >= row.size() || row[*file_col].empty()) {
            continue; // manual activity: no file
        }
        ExportIndexEntry entry;
        entry.file = row[*file_col];
        if (name_col && *name_col < row.size()) {
            entry.name = row[*name_col];
        }
        if (type_col && *type_col < row.size()) {
            entry.sport = sport_from_strava_type(row[*type_col]);
        }
        index.entries.push_back(std::move(entry));
    }
    return index;
}

std::optional<std::int64_t> json_ms_to_s(const nlohmann::json& value) {
    if (!value.is_number()) {
        return std::nullopt;
    }
    const double ms = value.get<double>();
    if (!std::isfinite(ms) || std::fabs(ms) > 1e16) {
        return std::nullopt;
    }
    return static_cast<std::int64_t>(std::llround(ms / 1000.0));
}

ExportIndex parse_garmin(std::string_view text, const std::string& source) {
    const auto doc = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
    if (doc.is_discarded()) {
        throw ReadError(source, {}, "not valid JSON");
    }
    ExportIndex index;
    index.kind = ExportIndex::Kind::garmin;
    index.source = source;
    const auto root = source.find("DI_CONNECT/");
    index.base = root != std::string::npos
                     ? source.substr(0, root)
                     : source.substr(0, source.size() - base_name(source).size());
    // [{"summarizedActivitiesExport": [ {...}, ... ]}]; times in ms (spec 4.2).
    auto add_list = [&](const nlohmann::json& list) {
        if (!list.is_array()) {
            return;
        }
        for (const auto& a : list) {
            if (!a.is_object()) {
                continue;
            }
            // A multisport parent only groups its legs; the legs are the files.
            if (a.value("parent", false) == true) {
                continue;
            }
            ExportIndexEntry entry;
            if (auto it = a.find("startTimeGmt"); it != a.end()) {
                entry.start_utc = json_ms_to_s(*it);
            }
            if (!entry.start_utc) {
                continue;
            }
            if (auto it = a.find("name"); it != a.end() && it->is_string()) {
                entry.name = it->get<std::string>();
            }
            if (auto it = a.find("activityType"); it != a.end()) {
                if (it->is_string()) {
                    entry.sport = sport_from_garmin_type(it->get<std::string>());
                } else if (it->is_object() && it->contains("typeKey") &&
                           (*it)["typeKey"].is_string()) {
                    entry.sport = sport_from_garmin_type((*it)["typeKey"].get<std::string>());
                }
            }
            index.entries.push_back(std::move(entry));
        }
    };
    if (doc.is_array()) {
        for (const auto& part : doc) {
            if (part.is_object() && part.contains("summarizedActivitiesExport")) {
                add_list(part["summarizedActivitiesExport"]);
            } else if (part.is_object()) {
                add_list(doc);
                break;
            }
        }
    } else if (doc.is_object() && doc.contains("summarizedActivitiesExport")) {
        add_list(doc["summarizedActivitiesExport"]);
    } else {
        throw ReadError(source, {}, "expected a list of summarizedActivitiesExport objects");
    }
    std::sort(index.entries.begin(), index.entries.end(),
              [](const auto& a, const auto& b) { return *a.start_utc < *b.start_utc; });
    return index;
}

} // namespace

bool is_export_index_name(std::string_view path) noexcept {
    const auto name = base_name(path);
    return name == "activities.csv" || ends_with(name, "summarizedActivities.json");
}

ExportIndex parse_export_index(std::string_view text, const std::string& source) {
    if (ends_with(source, ".json")) {
        return parse_garmin(text, source);
    }
    return parse_strava(text, source);
}

std::optional<Sport> sport_from_strava_type(std::string_view type) noexcept {
    static const std::pair<std::string_view, Sport> table[] = {
        {"Run", Sport::running},
        {"Trail Run", Sport::trail_running},
        {"Virtual Run", Sport::treadmill_running},
        {"Ride", Sport::cycling},
        {"Virtual Ride", Sport::cycling},
        {"E-Bike Ride", Sport::cycling},
        {"Mountain Bike Ride", Sport::cycling},
        {"Gravel Ride", Sport::cycling},
        {"Walk", Sport::walking},
        {"Hike", Sport::hiking},
        {"Weight Training", Sport::strength},
        {"Crossfit", Sport::strength},
        {"Workout", Sport::other},
        {"Swim", Sport::swimming},
        // German export
        {"Lauf", Sport::running},
        {"Traillauf", Sport::trail_running},
        {"Virtueller Lauf", Sport::treadmill_running},
        {"Radfahrt", Sport::cycling},
        {"Virtuelle Radfahrt", Sport::cycling},
        {"Spaziergang", Sport::walking},
        {"Wanderung", Sport::hiking},
        {"Krafttraining", Sport::strength},
        {"Schwimmen", Sport::swimming},
    };
    for (const auto& [name, sport] : table) {
        if (type == name) {
            return sport;
        }
    }
    return std::nullopt;
}

std::optional<Sport> sport_from_garmin_type(std::string_view type) noexcept {
    static const std::pair<std::string_view, Sport> table[] = {
        {"running", Sport::running},
        {"street_running", Sport::running},
        {"track_running", Sport::running},
        {"ultra_run", Sport::running},
        {"trail_running", Sport::trail_running},
        {"treadmill_running", Sport::treadmill_running},
        {"indoor_running", Sport::treadmill_running},
        {"virtual_run", Sport::treadmill_running},
        {"hiking", Sport::hiking},
        {"walking", Sport::walking},
        {"casual_walking", Sport::walking},
        {"speed_walking", Sport::walking},
        {"cycling", Sport::cycling},
        {"road_biking", Sport::cycling},
        {"mountain_biking", Sport::cycling},
        {"gravel_cycling", Sport::cycling},
        {"indoor_cycling", Sport::cycling},
        {"virtual_ride", Sport::cycling},
        {"lap_swimming", Sport::swimming},
        {"open_water_swimming", Sport::swimming},
        {"swimming", Sport::swimming},
        {"strength_training", Sport::strength},
    };
    for (const auto& [name, sport] : table) {
        if (type == name) {
            return sport;
        }
    }
    return std::nullopt;
}

std::size_t apply_export_indexes(const std::vector<ExportIndex>& indexes,
                                 std::vector<InputOutcome>& outcomes) {
    std::size_t matched = 0;
    for (const auto& index : indexes) {
        if (index.kind == ExportIndex::Kind::strava) {
            std::map<std::string, const ExportIndexEntry*, std::less<>> by_source;
            for (const auto& entry : index.entries) {
                by_source.emplace(index.base + entry.file, &entry);
            }
            for (auto& outcome : outcomes) {
                const auto it = by_source.find(outcome.source);
                if (it == by_source.end()) {
                    continue;
                }
                for (auto& activity : outcome.activities) {
                    if (!it->second->name.empty()) {
                        activity.name = it->second->name;
                    }
                    if (it->second->sport) {
                        activity.sport = *it->second->sport;
                    }
                    ++matched;
                }
            }
            continue;
        }
        for (auto& outcome : outcomes) {
            if (outcome.source.compare(0, index.base.size(), index.base) != 0) {
                continue;
            }
            for (auto& activity : outcome.activities) {
                if (!activity.start_utc) {
                    continue;
                }
                const std::int64_t start = *activity.start_utc;
                const auto first = std::lower_bound(
                    index.entries.begin(), index.entries.end(), start - garmin_match_s,
                    [](const ExportIndexEntry& e, std::int64_t t) { return *e.start_utc < t; });
                const ExportIndexEntry* best = nullptr;
                for (auto it = first;
                     it != index.entries.end() && *it->start_utc <= start + garmin_match_s; ++it) {
                    if (best == nullptr ||
                        std::llabs(*it->start_utc - start) < std::llabs(*best->start_utc - start)) {
                        best = &*it;
                    }
                }
                if (best == nullptr) {
                    continue;
                }
                if (!best->name.empty()) {
                    activity.name = best->name;
                }
                if (best->sport) {
                    activity.sport = *best->sport;
                }
                ++matched;
            }
        }
    }
    return matched;
}

} // namespace ultrastrength
