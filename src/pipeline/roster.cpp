#include "pipeline/roster.hpp"

#include "converters/exports/csv.hpp"
#include "history/load.hpp"
#include "history/races.hpp"
#include "model/text.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

namespace ultrastrength::pipeline {

namespace {

/// A row problem: the column and what is wrong with its value.
struct RowError {
    std::string message;
};

std::string trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) {
        return {};
    }
    const auto last = s.find_last_not_of(" \t\r\n");
    return std::string(s.substr(first, last - first + 1));
}

double number(const std::string& column, const std::string& text, double lo, double hi) {
    double v = 0;
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, v);
    if (ec != std::errc() || ptr != end) {
        throw RowError{column + ": '" + text + "' is not a number"};
    }
    if (!(v >= lo && v <= hi)) {
        throw RowError{column + ": " + text + " is outside " +
                       std::to_string(static_cast<int>(lo)) + "-" +
                       std::to_string(static_cast<int>(hi))};
    }
    return v;
}

/// "4:30" per km -> m/s.
double pace(const std::string& column, const std::string& text) {
    const auto colon = text.find(':');
    int minutes = 0;
    int seconds = 0;
    const char* end = text.data() + text.size();
    if (colon == std::string::npos ||
        std::from_chars(text.data(), text.data() + colon, minutes).ptr != text.data() + colon ||
        std::from_chars(text.data() + colon + 1, end, seconds).ptr != end ||
        colon + 3 != text.size() || seconds >= 60 || minutes < 2 || minutes > 15) {
        throw RowError{column + ": '" + text + "': expected minutes:seconds per km, e.g. 4:30"};
    }
    return 1000.0 / (minutes * 60 + seconds);
}

bool valid_id(std::string_view id) {
    if (id.empty() || id.size() > 64 || id == "." || id == ".." || id.front() == '.') {
        return false;
    }
    return std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '-' || c == '.';
    });
}

void fill(RosterAthlete& a, const std::map<std::string, std::string>& row,
          const std::string& base) {
    auto get = [&](const char* column) -> std::string {
        const auto it = row.find(column);
        return it == row.end() ? std::string() : it->second;
    };
    a.id = get("id");
    if (!valid_id(a.id)) {
        throw RowError{"id: '" + a.id +
                       "': expected 1-64 letters, digits, '_', '-' or '.' (it names a folder)"};
    }
    std::string lower = a.id;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; });
    for (const auto reserved : roster_wide_file_names()) {
        if (lower == reserved) {
            throw RowError{"id: '" + a.id +
                           "' is the name of a roster-wide file of the output "
                           "folder: choose another id"};
        }
    }
    a.name = get("name");
    for (const auto& path : split_list(get("exports"), ';')) {
        const std::filesystem::path p(path);
        a.exports.push_back(
            p.is_absolute() || base.empty() ? path : (std::filesystem::path(base) / p).string());
    }
    if (a.exports.empty()) {
        throw RowError{"exports: no export path given"};
    }
    for (const auto& text : split_list(get("races"), ';')) {
        std::string error;
        const auto race = parse_race(text, error);
        if (!race) {
            throw RowError{"races: " + error};
        }
        a.races.push_back(*race);
    }
    if (const auto sex = get("sex"); !sex.empty()) {
        const auto parsed = sex_from_string(sex);
        if (!parsed) {
            throw RowError{"sex: '" + sex + "': expected male or female"};
        }
        a.settings.sex = *parsed;
    }
    if (const auto v = get("hr_max_bpm"); !v.empty()) {
        a.settings.hr_max = number("hr_max_bpm", v, 30, 250);
    }
    if (const auto v = get("hr_rest_bpm"); !v.empty()) {
        a.settings.hr_rest = number("hr_rest_bpm", v, 30, 250);
    }
    if (a.settings.hr_max && a.settings.hr_rest && *a.settings.hr_rest >= *a.settings.hr_max) {
        throw RowError{"hr_rest_bpm: must be below hr_max_bpm"};
    }
    if (const auto v = get("lthr_bpm"); !v.empty()) {
        a.settings.lthr = number("lthr_bpm", v, 30, 250);
    }
    if (const auto v = get("threshold_pace"); !v.empty()) {
        a.settings.threshold_speed_mps = pace("threshold_pace", v);
    }
    if (const auto v = get("tz"); !v.empty()) {
        a.utc_offset_s = parse_utc_offset(v);
        if (!a.utc_offset_s) {
            throw RowError{"tz: '" + v + "': expected UTC or a fixed offset like +01:00"};
        }
    }
    if (const auto v = get("level"); !v.empty()) {
        a.level = level_from_string(v);
        if (!a.level) {
            throw RowError{"level: '" + v + "': expected novice, intermediate or advanced"};
        }
    }
    if (const auto v = get("strength_history"); !v.empty()) {
        a.strength_history = strength_history_from_string(v);
        if (!a.strength_history) {
            throw RowError{"strength_history: '" + v + "': expected none, some or experienced"};
        }
    }
    if (const auto v = get("no_jumps"); !v.empty()) {
        if (v != "yes" && v != "no") {
            throw RowError{"no_jumps: '" + v + "': expected yes or no"};
        }
        a.no_jumps = v == "yes";
    }
    if (row.count("equipment") != 0 && !get("equipment").empty()) {
        std::set<std::string> kit;
        for (const auto& item : split_list(get("equipment"), ';')) {
            if (!is_equipment_name(item)) {
                throw RowError{"equipment: unknown '" + item +
                               "' (none, band, dumbbell, barbell, box, gym)"};
            }
            kit.insert(item);
        }
        a.equipment = std::move(kit);
    }
    for (const auto& item : split_list(get("days"), ';')) {
        const auto day = weekday_from_string(item);
        if (!day) {
            throw RowError{"days: '" + item + "' is not a weekday"};
        }
        a.days.push_back(*day);
    }
    if (const auto v = get("long_run_day"); !v.empty()) {
        a.long_run_day = weekday_from_string(v);
        if (!a.long_run_day) {
            throw RowError{"long_run_day: '" + v + "' is not a weekday"};
        }
    }
    if (const auto v = get("weeks"); !v.empty()) {
        a.weeks = static_cast<int>(number("weeks", v, 1, 52));
        if (*a.weeks != number("weeks", v, 1, 52)) {
            throw RowError{"weeks: '" + v + "' is not a whole number"};
        }
    }
    a.formats = split_list(get("formats"), ';');
    if (const auto v = get("trainingpeaks_athlete_id"); !v.empty()) {
        std::int64_t id = 0;
        const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), id);
        if (ec != std::errc() || ptr != v.data() + v.size() || id <= 0) {
            throw RowError{"trainingpeaks_athlete_id: '" + v + "' is not a positive whole number"};
        }
        a.trainingpeaks_athlete_id = id;
    }
    a.calendar_name = get("calendar_name");
}

} // namespace

const std::vector<std::string_view>& roster_columns() {
    static const std::vector<std::string_view> columns = {"id",
                                                          "name",
                                                          "exports",
                                                          "races",
                                                          "sex",
                                                          "hr_max_bpm",
                                                          "hr_rest_bpm",
                                                          "lthr_bpm",
                                                          "threshold_pace",
                                                          "tz",
                                                          "level",
                                                          "strength_history",
                                                          "no_jumps",
                                                          "equipment",
                                                          "days",
                                                          "long_run_day",
                                                          "weeks",
                                                          "formats",
                                                          "trainingpeaks_athlete_id",
                                                          "calendar_name"};
    return columns;
}

const std::vector<std::string_view>& roster_wide_file_names() {
    static const std::vector<std::string_view> names = {"trainingpeaks.json", "plans.csv",
                                                        "summary.csv", "summary.html"};
    return names;
}

std::vector<RosterAthlete> parse_roster(std::string_view text, const std::string& base,
                                        const std::string& source) {
    if (text.size() > max_roster_bytes) {
        throw RosterError(source + ": larger than " + std::to_string(max_roster_bytes >> 20) +
                          " MiB: not a roster");
    }
    const CsvTable table = parse_csv(text);
    if (table.unterminated_quote_line) {
        throw RosterError(source + ": line " + std::to_string(*table.unterminated_quote_line) +
                          ": a quoted field is never closed");
    }
    if (table.rows.empty()) {
        throw RosterError(source + ": empty roster: expected a header line with id,exports,...");
    }
    const CsvRow& header = table.rows.front();
    std::vector<std::string> names;
    for (const auto& raw : header) {
        std::string name = trim(raw);
        if (std::find(roster_columns().begin(), roster_columns().end(), name) ==
            roster_columns().end()) {
            throw RosterError(source + ": line 1: unknown column '" + name +
                              "' (see schemas/roster.schema.json)");
        }
        if (std::find(names.begin(), names.end(), name) != names.end()) {
            throw RosterError(source + ": line 1: column '" + name + "' given twice");
        }
        names.push_back(std::move(name));
    }
    for (const char* required : {"id", "exports"}) {
        if (std::find(names.begin(), names.end(), required) == names.end()) {
            throw RosterError(source + ": line 1: the required column '" + required +
                              "' is missing");
        }
    }

    std::vector<RosterAthlete> athletes;
    std::set<std::string> ids;
    // The CSV parser keeps quoted line breaks inside fields; count lines by
    // the breaks each row held so messages point at the right line.
    std::size_t line = 1;
    for (const auto& cell : header) {
        line += static_cast<std::size_t>(std::count(cell.begin(), cell.end(), '\n'));
    }
    for (std::size_t r = 1; r < table.rows.size(); ++r) {
        const CsvRow& cells = table.rows[r];
        ++line;
        const std::size_t row_line = line;
        for (const auto& cell : cells) {
            line += static_cast<std::size_t>(std::count(cell.begin(), cell.end(), '\n'));
        }
        if (cells.size() == 1 && trim(cells[0]).empty()) {
            continue; // blank line
        }
        RosterAthlete a;
        a.line = row_line;
        std::map<std::string, std::string> row;
        for (std::size_t c = 0; c < names.size() && c < cells.size(); ++c) {
            // Names and the other text cells are shown and written as UTF-8;
            // export paths are file names, kept as the bytes they are.
            row[names[c]] =
                names[c] == "exports" ? trim(cells[c]) : escape_invalid_utf8(trim(cells[c]));
        }
        a.id = row["id"];
        try {
            for (std::size_t c = 0; c < names.size() && c < cells.size(); ++c) {
                if (cells[c].size() > max_roster_cell_bytes) {
                    a.id = a.id.size() > 64 ? std::string() : a.id;
                    throw RowError{names[c] + ": longer than " +
                                   std::to_string(max_roster_cell_bytes) + " bytes"};
                }
            }
            if (cells.size() != names.size()) {
                throw RowError{std::to_string(cells.size()) + " fields where the header has " +
                               std::to_string(names.size())};
            }
            fill(a, row, base);
            if (!ids.insert(a.id).second) {
                throw RowError{"id: '" + a.id + "' is already used by an earlier row"};
            }
        } catch (const RowError& e) {
            a.error = source + ": line " + std::to_string(row_line) + ": " + e.message;
        }
        athletes.push_back(std::move(a));
    }
    return athletes;
}

std::size_t shard_of(std::string_view id, std::size_t count) {
    // FNV-1a by hand (five lines): its published definition lets anyone
    // compute an athlete's shard with any language or a shell one-liner
    // (docs/cluster.md), which a library hash would not.
    std::uint64_t hash = 0xcbf29ce484222325ULL; // FNV-1a 64-bit offset basis
    for (const char c : id) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 0x100000001b3ULL; // FNV-1a 64-bit prime
    }
    return count == 0 ? 0 : static_cast<std::size_t>(hash % count);
}

std::vector<RosterAthlete> read_roster(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw RosterError(path + ": cannot open the roster");
    }
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto base = std::filesystem::path(path).parent_path().string();
    return parse_roster(text, base, path);
}

} // namespace ultrastrength::pipeline
