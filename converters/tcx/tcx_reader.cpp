// TCX (TrainingCenterDatabase v2 + ActivityExtension v2), input-formats.md §2.
//
// Parser choice, measured 2026-11-28 on bench/gen's ultra_30h files (70.5 MB
// TCX, 33.7 MB GPX, 108,000 points each), whole process, CPU seconds
// (user+sys, best of 3; the 2-core machine was shared, load ~9, so wall
// times were 2-3x these) and peak RSS:
//                                   TCX 70.5 MB            GPX 33.7 MB
//   this reader (SAX2 push, scan)   0.37 s  190 MB/s 6.8 MiB  0.21 s 160 MB/s 6.8 MiB
//   xmlTextReader, count points     0.84 s   84 MB/s 5.5 MiB  0.36 s  94 MB/s 5.5 MiB
//   pugixml DOM, count points       0.31 s  227 MB/s 211 MiB  0.15 s 225 MB/s 117 MiB
// A second series at load ~6 (wall = CPU): this reader 0.60 s TCX
// (117 MB/s), 0.21-0.36 s GPX (94-160 MB/s); the xmlTextReader floor
// 0.87-1.25 s and 0.41-0.62 s; peak RSS 6.7-7.1 MiB for the 1 h, 10 h and
// 30 h files alike. The floor ran at 190-204 MB/s on an idle machine
// (bench/BASELINES.md); this reader, doing all the work, takes 0.44-0.69x
// the floor's time under the same load. pugixml parses a little faster but must
// hold the whole DOM (3x the file; page faults are most of its time on an
// idle machine), which breaks the 32 MiB budget and grows with the file.
// So: libxml2 SAX2 reading our ByteStream through a 64 KiB buffer
// (converters/xml/xml_sax.hpp); memory is flat whatever the file size.
// Since 2026-12-01 libxml2 pulls the input (xmlParseDocument) instead of
// being pushed chunks: 11-13 % fewer instructions per byte, same memory;
// current figures in bench/README.md.
//
// Elements are matched by namespace URI + local name, never by prefix: the
// ActivityExtension prefix varies (ns3:, ax:, x:, or a default-namespace
// <TPX xmlns=...>).
//
// Rules (input-formats.md §2, analysis.md):
// - start = Activity/Id (else the first Lap@StartTime, else the first point);
//   elapsed = last trackpoint time - start (TCX stores no elapsed time);
// - timer = sum of Lap/TotalTimeSeconds;
// - distance = sum of Lap/DistanceMeters when present and non-zero, else the
//   last trackpoint distance, else the haversine sum of positions;
//   Flag::summary_mismatch when laps and points differ by more than 10 %;
// - avg HR = the laps' AverageHeartRateBpm weighted by lap timer time when
//   the laps carry it, else the plain mean over trackpoints with HR > 0 (the
//   convention of the reference values in corpus/expected.json); max HR =
//   the laps' maximum, else the points';
// - sport from Activity@Sport: Running, Biking, Other (the schema's enum);
// - Courses- or Workouts-only files are skipped with the reason.
#include "converters/tcx/tcx_reader.hpp"

#include "converters/features.hpp"
#include "converters/xml/xml_sax.hpp"
#include "converters/xml/xml_validate.hpp"
#include "model/time.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ultrastrength {

namespace {

constexpr std::string_view tcd_ns = "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2";
constexpr std::string_view ax_ns = "http://www.garmin.com/xmlschemas/ActivityExtension/v2";

// Unix seconds of 1990-01-01: earlier times are device defaults, not dates
// (input-formats.md §3 "reject years < 1990").
constexpr double earliest_plausible_s = 631152000.0;

enum class El : std::uint8_t {
    other,
    root,
    activities,
    activity,
    multisport,
    id,
    lap,
    total_time,
    distance,
    calories,
    avg_hr,
    max_hr,
    value,
    track,
    trackpoint,
    time,
    position,
    latitude,
    longitude,
    altitude,
    heart_rate,
    courses,
    workouts,
    tpx,
    speed,
};

El classify_tcd(std::string_view local) noexcept {
    static constexpr std::array<std::pair<std::string_view, El>, 22> table{{
        {"Trackpoint", El::trackpoint},
        {"Time", El::time},
        {"Position", El::position},
        {"LatitudeDegrees", El::latitude},
        {"LongitudeDegrees", El::longitude},
        {"AltitudeMeters", El::altitude},
        {"DistanceMeters", El::distance},
        {"HeartRateBpm", El::heart_rate},
        {"Value", El::value},
        {"Extensions", El::other},
        {"Track", El::track},
        {"Lap", El::lap},
        {"TotalTimeSeconds", El::total_time},
        {"Calories", El::calories},
        {"AverageHeartRateBpm", El::avg_hr},
        {"MaximumHeartRateBpm", El::max_hr},
        {"Activity", El::activity},
        {"Id", El::id},
        {"Activities", El::activities},
        {"MultiSportSession", El::multisport},
        {"TrainingCenterDatabase", El::root},
        {"Courses", El::courses},
    }};
    for (const auto& [name, el] : table) {
        if (name == local) {
            return el;
        }
    }
    if (local == "Workouts") {
        return El::workouts;
    }
    return El::other;
}

Sport sport_from_attribute(std::string_view sport) noexcept {
    if (sport == "Running") {
        return Sport::running;
    }
    if (sport == "Biking") {
        return Sport::cycling;
    }
    return Sport::other;
}

struct ActivityState {
    ActivityFeatures features;
    FeatureBuilder builder;
    std::optional<double> id_time_s;
    std::optional<double> first_lap_start_s;
    std::optional<double> last_point_time_s;
    double timer_sum_s = 0;
    bool has_timer = false;
    double lap_distance_m = 0;
    bool has_lap_distance = false;
    double calories = 0;
    bool has_calories = false;
    double hr_weighted_sum = 0;
    double hr_weight_s = 0;
    std::optional<double> max_hr;
    double point_hr_sum = 0;
    std::uint64_t point_hr_count = 0;
    std::uint64_t points = 0;
};

struct LapState {
    std::optional<double> total_time_s;
    std::optional<double> avg_hr;
};

class TcxHandler final : public detail::XmlHandler {
public:
    explicit TcxHandler(const std::string& source) : m_source(source) {}

    void set_parser(detail::XmlParser* parser) { m_parser = parser; }

    bool start_element(std::string_view uri, std::string_view local,
                       const detail::XmlAttributes& attributes) override {
        El el = El::other;
        if (uri == tcd_ns) {
            el = classify_tcd(local);
        } else if (uri == ax_ns) {
            if (local == "TPX") {
                el = El::tpx;
            } else if (local == "Speed") {
                el = El::speed;
            }
        }
        const El parent = m_stack.empty() ? El::other : m_stack.back();
        if (m_stack.empty() && el != El::root) {
            m_parser->fail("root element <" + std::string(local) +
                           "> is not TrainingCenterDatabase in namespace " + std::string(tcd_ns));
        }
        m_stack.push_back(el);

        switch (el) {
        case El::activity:
            begin_activity(attributes);
            return false;
        case El::multisport:
            ++m_multisport_depth;
            return false;
        case El::courses:
            m_courses = true;
            return false;
        case El::workouts:
            m_workouts = true;
            return false;
        case El::lap:
            if (m_activity) {
                m_lap = LapState{};
                if (auto start = attributes.find("StartTime");
                    start && !m_activity->first_lap_start_s) {
                    m_activity->first_lap_start_s = parse_iso8601(*start);
                }
            }
            return false;
        case El::track:
            if (m_activity) {
                m_activity->builder.begin_segment();
            }
            return false;
        case El::trackpoint:
            m_in_point = m_activity.has_value();
            m_point = Sample{};
            return false;
        case El::id:
            return parent == El::activity;
        case El::total_time:
        case El::calories:
            return parent == El::lap;
        case El::distance:
            return parent == El::lap || parent == El::trackpoint;
        case El::value:
            return parent == El::avg_hr || parent == El::max_hr || parent == El::heart_rate;
        case El::time:
        case El::altitude:
            return parent == El::trackpoint;
        case El::latitude:
        case El::longitude:
            return parent == El::position;
        case El::speed:
            return m_in_point && parent == El::tpx;
        default:
            return false;
        }
    }

    void end_element(std::string_view text) override {
        const El el = m_stack.back();
        m_stack.pop_back();
        const El parent = m_stack.empty() ? El::other : m_stack.back();
        if (el == El::multisport) {
            --m_multisport_depth;
            return;
        }
        if (!m_activity) {
            return;
        }
        ActivityState& a = *m_activity;
        switch (el) {
        case El::activity:
            finish_activity();
            break;
        case El::id:
            a.id_time_s = parse_iso8601(text);
            break;
        case El::lap:
            if (m_lap.avg_hr && m_lap.total_time_s && *m_lap.total_time_s > 0) {
                a.hr_weighted_sum += *m_lap.avg_hr * *m_lap.total_time_s;
                a.hr_weight_s += *m_lap.total_time_s;
            }
            break;
        case El::total_time:
            if (auto v = number(text)) {
                m_lap.total_time_s = *v;
                a.timer_sum_s += *v;
                a.has_timer = true;
            }
            break;
        case El::calories:
            if (auto v = number(text)) {
                a.calories += *v;
                a.has_calories = true;
            }
            break;
        case El::distance:
            if (auto v = number(text)) {
                if (parent == El::lap) {
                    a.lap_distance_m += *v;
                    a.has_lap_distance = true;
                } else if (m_in_point) {
                    m_point.distance_m = *v;
                }
            }
            break;
        case El::value:
            if (auto v = number(text); v && *v > 0) {
                if (parent == El::heart_rate && m_in_point) {
                    m_point.heart_rate = *v;
                } else if (parent == El::avg_hr) {
                    m_lap.avg_hr = *v;
                } else if (parent == El::max_hr) {
                    a.max_hr = std::max(a.max_hr.value_or(0.0), *v);
                }
            }
            break;
        case El::time:
            if (m_in_point) {
                if (auto t = parse_iso8601(text)) {
                    if (*t >= earliest_plausible_s) {
                        m_point.time_s = *t;
                    } else {
                        a.features.set(Flag::bad_timestamp);
                    }
                } else {
                    a.features.set(Flag::bad_timestamp);
                }
            }
            break;
        case El::latitude:
            if (auto v = number(text); v && std::abs(*v) <= 90) {
                m_point.lat_deg = *v;
            }
            break;
        case El::longitude:
            if (auto v = number(text); v && std::abs(*v) <= 180) {
                m_point.lon_deg = *v;
            }
            break;
        case El::altitude:
            if (auto v = number(text)) {
                m_point.altitude_m = *v;
            }
            break;
        case El::speed:
            if (auto v = number(text); v && *v >= 0) {
                m_point.speed_mps = *v;
            }
            break;
        case El::trackpoint:
            if (m_in_point) {
                add_point();
            }
            m_in_point = false;
            break;
        default:
            break;
        }
    }

    ReadResult result(const detail::XmlParseInfo& info) {
        if (info.truncated && m_activity && m_activity->points > 0) {
            finish_activity();
        }
        ReadResult out;
        for (auto& activity : m_done) {
            if (info.leading_whitespace) {
                activity.set(Flag::leading_whitespace);
            }
            if (info.undeclared_prefix) {
                activity.set(Flag::undeclared_prefix);
            }
        }
        out.activities = std::move(m_done);
        if (info.undeclared_prefix) {
            out.warnings.push_back("undeclared namespace prefix ignored (" +
                                   info.undeclared_prefix_message + ")");
        }
        if (out.activities.empty()) {
            if (m_courses || m_workouts) {
                out.skipped = std::string("TCX holds only ") +
                              (m_courses && m_workouts ? "courses and workouts"
                               : m_courses             ? "courses"
                                                       : "workouts") +
                              " (planned routes or sessions, not recorded activities)";
            } else {
                out.skipped = "TCX holds no activities";
            }
        }
        return out;
    }

private:
    std::optional<double> number(std::string_view text) const noexcept {
        return detail::parse_xml_double(text);
    }

    void begin_activity(const detail::XmlAttributes& attributes) {
        if (m_activity) {
            finish_activity();
        }
        m_activity.emplace();
        ActivityFeatures& f = m_activity->features;
        f.source = m_source;
        f.format = Format::tcx;
        f.sport = sport_from_attribute(attributes.find("Sport").value_or(""));
        if (m_multisport_depth > 0) {
            f.set(Flag::multisport);
        }
    }

    void add_point() {
        ActivityState& a = *m_activity;
        ++a.points;
        if (!std::isnan(m_point.heart_rate)) {
            a.point_hr_sum += m_point.heart_rate;
            ++a.point_hr_count;
        }
        if (!std::isnan(m_point.time_s)) {
            a.last_point_time_s = m_point.time_s;
        }
        a.builder.add(m_point);
    }

    void finish_activity() {
        ActivityState& a = *m_activity;
        ActivityFeatures& f = a.features;
        const StreamFeatures stream = a.builder.finish();

        const std::optional<double> start_s =
            a.id_time_s ? a.id_time_s
                        : (a.first_lap_start_s ? a.first_lap_start_s : stream.first_time_s);
        if (start_s) {
            f.start_utc = static_cast<std::int64_t>(std::floor(*start_s));
            if (a.last_point_time_s && *a.last_point_time_s >= *start_s) {
                f.elapsed_s = *a.last_point_time_s - *start_s;
            }
        }
        if (a.has_timer) {
            f.timer_s = a.timer_sum_s;
        } else {
            f.set(Flag::no_summary);
        }

        const std::optional<double> point_distance_m =
            stream.device_distance_m ? stream.device_distance_m : stream.haversine_m;
        if (a.has_lap_distance && a.lap_distance_m > 0) {
            f.distance_m = a.lap_distance_m;
            if (point_distance_m && *point_distance_m > 0 &&
                std::abs(*point_distance_m - a.lap_distance_m) >
                    0.10 * std::max(*point_distance_m, a.lap_distance_m)) {
                f.set(Flag::summary_mismatch);
            }
        }
        if (a.has_calories && a.calories > 0) {
            f.calories_kcal = a.calories;
        }
        if (a.hr_weight_s > 0) {
            f.avg_hr = a.hr_weighted_sum / a.hr_weight_s;
        } else if (a.point_hr_count > 0) {
            f.avg_hr = a.point_hr_sum / static_cast<double>(a.point_hr_count);
        }
        if (a.max_hr) {
            f.max_hr = a.max_hr;
        }
        f.records = a.points;
        apply_stream_features(f, stream);
        m_done.push_back(std::move(f));
        m_activity.reset();
    }

    const std::string& m_source;
    detail::XmlParser* m_parser = nullptr;
    std::vector<El> m_stack;
    std::optional<ActivityState> m_activity;
    LapState m_lap;
    Sample m_point;
    bool m_in_point = false;
    int m_multisport_depth = 0;
    bool m_courses = false;
    bool m_workouts = false;
    std::vector<ActivityFeatures> m_done;
};

class TcxReader final : public Reader {
public:
    std::string_view name() const noexcept override { return "tcx"; }
    std::string_view description() const noexcept override {
        return "Garmin Training Center TCX v2 (activities, multisport sessions, ActivityExtension "
               "v2)";
    }
    std::string_view extensions() const noexcept override { return ".tcx"; }
    Format format() const noexcept override { return Format::tcx; }

    int identify(std::span<const std::uint8_t> head,
                 std::string_view /*file_name*/) const noexcept override {
        return detail::identify_xml_root(head, "TrainingCenterDatabase");
    }

    ReadResult read(ByteStream& in, const std::string& source) const override {
        return detail::read_xml<TcxHandler>(in, source);
    }

    /// Against the bundled XSDs (xml_validate.hpp).
    std::optional<ValidationReport> validate(const std::string& path,
                                             std::span<const std::uint8_t> head,
                                             const std::string& schemas_dir) const override {
        return validate_tcx_gpx(path, head, schemas_dir);
    }
};

} // namespace

std::unique_ptr<Reader> make_tcx_reader() {
    return std::make_unique<TcxReader>();
}

} // namespace ultrastrength
