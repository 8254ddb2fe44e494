#include "converters/exports/export_index.hpp"

#include "converters/exports/csv.hpp"
#include "converters/reader.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
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

ExportIndex parse_strava(ByteStream& in, const std::string& source) {
    CsvReader reader(in);
    CsvRow row;
    if (!reader.next(row)) {
        throw ReadError(source, {}, "empty activities.csv");
    }
    const CsvHeader header(row);
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
    while (reader.next(row)) {
        if (!file_col || *file_col >= row.size() || row[*file_col].empty()) {
            continue; // manual activity: no file
        }
        if (index.entries.size() >= max_index_entries) {
            throw ReadError(source, {},
                            "more than " + std::to_string(max_index_entries) + " rows: not used");
        }
        ExportIndexEntry entry;
        entry.file = std::move(row[*file_col]);
        if (name_col && *name_col < row.size()) {
            entry.name = std::move(row[*name_col]);
        }
        if (type_col && *type_col < row.size()) {
            entry.sport = sport_from_strava_type(row[*type_col]);
        }
        index.entries.push_back(std::move(entry));
    }
    if (const auto line = reader.unterminated_quote_line()) {
        throw ReadError(source, {std::nullopt, *line},
                        "quoted field not closed before the end of the file");
    }
    if (!file_col) {
        // Some other tool's activities.csv, or a localisation not known
        // here: the files still give their own sport (spec 4.1).
        index.unusable = "no Filename column in the header; the files' own names and sports "
                         "are kept";
    }
    return index;
}

/// A pull reader of JSON with bounded memory: strings keep their first
/// `max_string` bytes, numbers their first 64 characters, nesting is at most
/// max_index_depth deep. Throws ReadError on anything that is not JSON.
class BoundedJson {
public:
    enum class Token : std::uint8_t {
        begin_object,
        end_object,
        begin_array,
        end_array,
        key,
        string,
        number,
        boolean,
        null,
        end
    };

    BoundedJson(ByteStream& in, const std::string& source, std::size_t max_string = 64 * 1024)
        : m_in(in), m_source(source), m_max_string(max_string), m_buffer(64 * 1024) {}

    Token next() {
        int c = skip_space();
        if (m_expect == Expect::done) {
            if (c >= 0) {
                fail("text after the end of the JSON value");
            }
            return Token::end;
        }
        if (c < 0) {
            fail("unexpected end of the file");
        }
        if (m_expect == Expect::comma_or_end) {
            if (c == ',') {
                m_expect = m_stack.back() == '{' ? Expect::key : Expect::value;
                c = skip_space();
            } else if (c == '}' || c == ']') {
                return close(c);
            } else {
                fail("expected ',' or the end of the object or array");
            }
        }
        if (m_expect == Expect::key_or_end || m_expect == Expect::key) {
            if (c == '}' && m_expect == Expect::key_or_end) {
                return close(c);
            }
            if (c != '"') {
                fail("expected a quoted member name");
            }
            read_string();
            if (skip_space() != ':') {
                fail("expected ':' after a member name");
            }
            m_expect = Expect::value;
            return Token::key;
        }
        if (m_expect == Expect::value_or_end && c == ']') {
            return close(c);
        }
        // A value.
        switch (c) {
        case '{':
        case '[':
            if (m_stack.size() >= max_index_depth) {
                fail("nested more than " + std::to_string(max_index_depth) + " deep");
            }
            m_stack.push_back(static_cast<char>(c));
            m_expect = c == '{' ? Expect::key_or_end : Expect::value_or_end;
            return c == '{' ? Token::begin_object : Token::begin_array;
        case '"':
            read_string();
            after_value();
            return Token::string;
        case 't':
            literal("rue");
            m_bool = true;
            after_value();
            return Token::boolean;
        case 'f':
            literal("alse");
            m_bool = false;
            after_value();
            return Token::boolean;
        case 'n':
            literal("ull");
            after_value();
            return Token::null;
        default:
            if (c == '-' || (c >= '0' && c <= '9')) {
                m_text.assign(1, static_cast<char>(c));
                for (int d = peek(); d >= 0 && std::strchr("0123456789+-.eE", d) != nullptr;
                     d = peek()) {
                    ++m_pos;
                    if (m_text.size() < 64) {
                        m_text += static_cast<char>(d);
                    }
                }
                after_value();
                return Token::number;
            }
            fail("expected a value");
        }
    }

    /// A key's or string's text (cut at max_string), or a number's.
    const std::string& text() const noexcept { return m_text; }
    bool boolean() const noexcept { return m_bool; }
    std::size_t depth() const noexcept { return m_stack.size(); }

private:
    enum class Expect : std::uint8_t { value, value_or_end, key, key_or_end, comma_or_end, done };

    [[noreturn]] void fail(const std::string& what) const {
        throw ReadError(m_source, {},
                        "not valid JSON: " + what + " (byte " + std::to_string(m_offset + m_pos) +
                            ")");
    }
    int peek() {
        if (m_pos == m_end) {
            m_offset += m_end;
            m_end = m_in.read(m_buffer.data(), m_buffer.size());
            m_pos = 0;
            if (m_end == 0) {
                return -1;
            }
        }
        return m_buffer[m_pos];
    }
    int get() {
        const int c = peek();
        m_pos += c >= 0 ? 1 : 0;
        return c;
    }
    int skip_space() {
        int c = get();
        while (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            c = get();
        }
        return c;
    }
    void literal(const char* rest) {
        for (; *rest != '\0'; ++rest) {
            if (get() != *rest) {
                fail("unknown literal");
            }
        }
    }
    void after_value() { m_expect = m_stack.empty() ? Expect::done : Expect::comma_or_end; }
    Token close(int c) {
        if (m_stack.empty() || (c == '}') != (m_stack.back() == '{')) {
            fail("mismatched closing bracket");
        }
        m_stack.pop_back();
        after_value();
        return c == '}' ? Token::end_object : Token::end_array;
    }
    void add(char c) {
        if (m_text.size() < m_max_string) {
            m_text += c;
        }
    }
    void read_string() {
        m_text.clear();
        for (;;) {
            int c = get();
            if (c < 0) {
                fail("string not closed before the end of the file");
            }
            if (c == '"') {
                return;
            }
            if (c < 0x20) {
                fail("control character inside a string");
            }
            if (c != '\\') {
                add(static_cast<char>(c));
                continue;
            }
            c = get();
            switch (c) {
            case '"':
            case '\\':
            case '/':
                add(static_cast<char>(c));
                break;
            case 'b':
                add('\b');
                break;
            case 'f':
                add('\f');
                break;
            case 'n':
                add('\n');
                break;
            case 'r':
                add('\r');
                break;
            case 't':
                add('\t');
                break;
            case 'u': {
                unsigned code = hex4();
                if (code >= 0xD800 && code < 0xDC00 && peek() == '\\') {
                    ++m_pos;
                    if (get() != 'u') {
                        fail("bad escape");
                    }
                    const unsigned low = hex4();
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                }
                append_utf8(code);
                break;
            }
            default:
                fail("bad escape");
            }
        }
    }
    unsigned hex4() {
        unsigned value = 0;
        for (int i = 0; i < 4; ++i) {
            const int c = get();
            value <<= 4;
            if (c >= '0' && c <= '9') {
                value |= static_cast<unsigned>(c - '0');
            } else if (c >= 'a' && c <= 'f') {
                value |= static_cast<unsigned>(c - 'a' + 10);
            } else if (c >= 'A' && c <= 'F') {
                value |= static_cast<unsigned>(c - 'A' + 10);
            } else {
                fail("bad \\u escape");
            }
        }
        return value;
    }
    void append_utf8(unsigned code) {
        if (code > 0x10FFFF || (code >= 0xD800 && code < 0xE000)) {
            code = 0xFFFD; // a lone surrogate: the replacement character
        }
        if (code < 0x80) {
            add(static_cast<char>(code));
        } else if (code < 0x800) {
            add(static_cast<char>(0xC0 | (code >> 6)));
            add(static_cast<char>(0x80 | (code & 0x3F)));
        } else if (code < 0x10000) {
            add(static_cast<char>(0xE0 | (code >> 12)));
            add(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
            add(static_cast<char>(0x80 | (code & 0x3F)));
        } else {
            add(static_cast<char>(0xF0 | (code >> 18)));
            add(static_cast<char>(0x80 | ((code >> 12) & 0x3F)));
            add(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
            add(static_cast<char>(0x80 | (code & 0x3F)));
        }
    }

    ByteStream& m_in;
    const std::string& m_source;
    std::size_t m_max_string;
    std::vector<std::uint8_t> m_buffer;
    std::size_t m_pos = 0;
    std::size_t m_end = 0;
    std::uint64_t m_offset = 0;
    std::vector<char> m_stack;
    Expect m_expect = Expect::value;
    std::string m_text;
    bool m_bool = false;
};

std::optional<std::int64_t> ms_text_to_s(const std::string& text) {
    char* end = nullptr;
    const double ms = std::strtod(text.c_str(), &end);
    if (end == text.c_str() || !std::isfinite(ms) || std::fabs(ms) > 1e16) {
        return std::nullopt;
    }
    return static_cast<std::int64_t>(std::llround(ms / 1000.0));
}

/// [{"summarizedActivitiesExport": [ {...}, ... ]}], or the object alone, or
/// the list alone; times in ms (spec 4.2). Read as a stream: only the
/// fields of each activity that are used are kept.
ExportIndex parse_garmin(ByteStream& in, const std::string& source) {
    ExportIndex index;
    index.kind = ExportIndex::Kind::garmin;
    index.source = source;
    const auto root = source.find("DI_CONNECT/");
    index.base = root != std::string::npos
                     ? source.substr(0, root)
                     : source.substr(0, source.size() - base_name(source).size());
    struct Frame {
        bool object = false;
        bool activity_list = false; ///< an array of activities
        bool activity = false;      ///< an activity (or, below the root array, maybe a part)
        bool type = false;          ///< an activity's activityType object
        bool has_list = false;      ///< holds a summarizedActivitiesExport member
        bool is_parent = false;     ///< a multisport parent (its legs are the files)
        std::string key;            ///< the member being read
        ExportIndexEntry entry;
    };
    std::vector<Frame> frames;
    bool root_object = false;
    bool root_has_list = false;
    BoundedJson json(in, source);
    const auto first = json.next();
    if (first != BoundedJson::Token::begin_object && first != BoundedJson::Token::begin_array) {
        throw ReadError(source, {}, "expected a list of summarizedActivitiesExport objects");
    }
    for (auto token = first; token != BoundedJson::Token::end; token = json.next()) {
        Frame* top = frames.empty() ? nullptr : &frames.back();
        const std::string key = top != nullptr && top->object ? top->key : std::string();
        switch (token) {
        case BoundedJson::Token::key:
            top->key = json.text();
            if (top->key == "summarizedActivitiesExport") {
                top->has_list = true;
                root_has_list = root_has_list || frames.size() <= 2;
            }
            break;
        case BoundedJson::Token::begin_object: {
            Frame frame;
            frame.object = true;
            frame.activity =
                top != nullptr && !top->object && (top->activity_list || frames.size() == 1);
            frame.type = top != nullptr && top->activity && key == "activityType";
            root_object = root_object || top == nullptr;
            frames.push_back(std::move(frame));
            break;
        }
        case BoundedJson::Token::begin_array: {
            Frame frame;
            frame.activity_list =
                top != nullptr && top->object && key == "summarizedActivitiesExport";
            frames.push_back(std::move(frame));
            break;
        }
        case BoundedJson::Token::end_object: {
            Frame done = std::move(frames.back());
            frames.pop_back();
            if (done.activity && !done.has_list && !done.is_parent && done.entry.start_utc) {
                if (index.entries.size() >= max_index_entries) {
                    throw ReadError(source, {},
                                    "more than " + std::to_string(max_index_entries) +
                                        " activities: not used");
                }
                index.entries.push_back(std::move(done.entry));
            }
            break;
        }
        case BoundedJson::Token::end_array:
            frames.pop_back();
            break;
        case BoundedJson::Token::string:
            if (top != nullptr && top->activity && key == "name") {
                top->entry.name = json.text();
            } else if (top != nullptr && top->activity && key == "activityType") {
                top->entry.sport = sport_from_garmin_type(json.text());
            } else if (top != nullptr && top->type && key == "typeKey" && frames.size() >= 2) {
                frames[frames.size() - 2].entry.sport = sport_from_garmin_type(json.text());
            }
            break;
        case BoundedJson::Token::number:
            if (top != nullptr && top->activity && key == "startTimeGmt") {
                top->entry.start_utc = ms_text_to_s(json.text());
            }
            break;
        case BoundedJson::Token::boolean:
            if (top != nullptr && top->activity && key == "parent") {
                top->is_parent = json.boolean();
            }
            break;
        case BoundedJson::Token::null:
        case BoundedJson::Token::end:
            break;
        }
    }
    if (root_object && !root_has_list) {
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

ExportIndex parse_export_index(ByteStream& in, const std::string& source) {
    if (ends_with(source, ".json")) {
        return parse_garmin(in, source);
    }
    return parse_strava(in, source);
}

ExportIndex parse_export_index(std::string_view text, const std::string& source) {
    MemoryStream in({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});
    return parse_export_index(in, source);
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
