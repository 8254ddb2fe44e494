// GPX 1.0 and 1.1 tracks, input-formats.md §3.
//
// Parser: libxml2 SAX2 reading from our ByteStream (shared with the TCX
// reader, converters/xml/xml_sax.hpp); see tcx_reader.cpp for the
// measurement that chose it over pugixml. Elements are matched by namespace
// URI + local name, never by prefix.
//
// Rules:
// - points: trk/trkseg/trkpt (lat, lon, ele, time); heart rate from Garmin
//   TrackPointExtension v1/v2 `hr` or ClueTrust gpxdata `hr`; speed from
//   TrackPointExtension v2 or GPX 1.0 `speed`. Routes and waypoints are plans,
//   not history: a file with only those is skipped with the reason.
// - each trkseg starts a FeatureBuilder segment: the gap between segments is
//   GPS loss or a pause and adds no distance (§3 "Multiple trk / trkseg").
// - several <trk>: a track whose first timed point comes more than one hour
//   after the last time of the activity so far starts a new activity;
//   otherwise (overlap, short gap, no times) it joins the current one. One
//   hour is longer than any pause within a run (a watch stopped at a café)
//   and shorter than the gap between two separate sessions of a day.
// - times: a year before 1990 (devices without a fix write 1901 or 1970) or
//   after 2100, or a time more than an hour before the previous good time,
//   is a bogus stamp: the point is kept, its time ignored,
//   Flag::bad_timestamp. Fewer than 2 timed points: distance and ascent
//   only, start unset, Flag::no_timestamps; Flag::no_timestamps is also set
//   when fewer than half the points are timed (elapsed then covers only part
//   of the track).
// - start = earliest good time, elapsed = latest - earliest (the corpus
//   convention, expected.json "conventions").
// - sport from trk/type: words (running, trail_running, hiking, cycling...)
//   or Strava's numeric codes (9 = Run is verified on the corpus, 16 was seen
//   on a swim; 1 = Ride, 4 = Hike, 10 = Walk, 17 = VirtualRide follow the
//   commonly cited list and are unverified). GPX has no reliable sport, so a
//   missing or unknown type means running (analysis.md §2.1).
// - avg HR = plain mean over points with HR > 0 (GPX has no summary; the
//   convention of the reference values in corpus/expected.json).
#include "converters/gpx/gpx_reader.hpp"

#include "converters/features.hpp"
#include "converters/xml/xml_sax.hpp"
#include "converters/xml/xml_validate.hpp"
#include "model/time.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ultrastrength {

namespace {

constexpr std::string_view gpx10_ns = "http://www.topografix.com/GPX/1/0";
constexpr std::string_view gpx11_ns = "http://www.topografix.com/GPX/1/1";
constexpr std::string_view tpx1_ns = "http://www.garmin.com/xmlschemas/TrackPointExtension/v1";
constexpr std::string_view tpx2_ns = "http://www.garmin.com/xmlschemas/TrackPointExtension/v2";
constexpr std::string_view gpxdata_ns = "http://www.cluetrust.com/XML/GPXDATA/1/0";

constexpr double earliest_plausible_s = 631152000.0; // 1990-01-01T00:00:00Z
constexpr double latest_plausible_s = 4102444800.0;  // 2100-01-01T00:00:00Z
constexpr double new_activity_gap_s = 3600.0;
constexpr double backwards_limit_s = 3600.0;
// Untimed points of a new track held back until its first time decides
// which activity it belongs to; past this the track joins the current one.
constexpr std::size_t max_pending_points = 4096;

enum class El : std::uint8_t {
    other,
    root,
    trk,
    name,
    type,
    trkseg,
    trkpt,
    ele,
    time,
    speed,
    hr,
    rte,
    wpt
};

El classify_gpx(std::string_view local, bool v10) noexcept {
    if (local == "trkpt") {
        return El::trkpt;
    }
    if (local == "ele") {
        return El::ele;
    }
    if (local == "time") {
        return El::time;
    }
    if (local == "trkseg") {
        return El::trkseg;
    }
    if (local == "trk") {
        return El::trk;
    }
    if (local == "name") {
        return El::name;
    }
    if (local == "type") {
        return El::type;
    }
    if (local == "gpx") {
        return El::root;
    }
    if (local == "rte") {
        return El::rte;
    }
    if (local == "wpt") {
        return El::wpt;
    }
    if (v10 && local == "speed") {
        return El::speed;
    }
    return El::other;
}

bool contains(std::string_view text, std::string_view part) noexcept {
    return text.find(part) != std::string_view::npos;
}

std::optional<Sport> sport_from_type(std::string_view raw) {
    std::string type;
    for (const char c : raw) {
        if (!std::isspace(static_cast<unsigned char>(c))) {
            type += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
    }
    if (!type.empty() &&
        std::all_of(type.begin(), type.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        if (type == "9") {
            return Sport::running;
        }
        if (type == "1" || type == "17") {
            return Sport::cycling;
        }
        if (type == "4") {
            return Sport::hiking;
        }
        if (type == "10") {
            return Sport::walking;
        }
        if (type == "16") {
            return Sport::swimming;
        }
        return std::nullopt;
    }
    if (contains(type, "treadmill")) {
        return Sport::treadmill_running;
    }
    if (contains(type, "trail") && contains(type, "run")) {
        return Sport::trail_running;
    }
    if (contains(type, "run")) {
        return Sport::running;
    }
    if (contains(type, "hik")) {
        return Sport::hiking;
    }
    if (contains(type, "walk")) {
        return Sport::walking;
    }
    if (contains(type, "swim")) {
        return Sport::swimming;
    }
    if (contains(type, "cycl") || contains(type, "bik") || contains(type, "ride")) {
        return Sport::cycling;
    }
    if (contains(type, "strength") || contains(type, "weight")) {
        return Sport::strength;
    }
    return std::nullopt;
}

struct Group {
    ActivityFeatures features;
    FeatureBuilder builder;
    std::optional<double> min_time_s;
    std::optional<double> max_time_s;
    std::optional<double> last_time_s;
    std::optional<Sport> sport;
    double hr_sum = 0;
    std::uint64_t hr_count = 0;
    std::uint64_t points = 0;
    std::uint64_t timed_points = 0;
};

struct Pending {
    Sample sample;
    bool new_segment = false;
};

class GpxHandler final : public detail::XmlHandler {
public:
    explicit GpxHandler(const std::string& source) : m_source(source) {}

    void set_parser(detail::XmlParser* parser) { m_parser = parser; }

    bool start_element(std::string_view uri, std::string_view local,
                       const detail::XmlAttributes& attributes) override {
        El el = El::other;
        const bool v10 = uri == gpx10_ns;
        if (m_stack.empty() && uri.empty() && local == "gpx") {
            // A root without namespace (hand-written files, gpxpy's tests):
            // its elements are read as GPX 1.1.
            m_no_namespace = true;
        }
        if (v10 || uri == gpx11_ns || (m_no_namespace && uri.empty())) {
            el = classify_gpx(local, v10);
        } else if (m_in_point && (uri == tpx1_ns || uri == tpx2_ns || uri == gpxdata_ns)) {
            if (local == "hr") {
                el = El::hr;
            } else if (local == "speed" && uri == tpx2_ns) {
                el = El::speed;
            }
        }
        const El parent = m_stack.empty() ? El::other : m_stack.back();
        if (m_stack.empty() && el != El::root) {
            m_parser->fail("root element <" + std::string(local) + "> is not gpx in namespace " +
                           std::string(gpx11_ns) + " or " + std::string(gpx10_ns));
        }
        m_stack.push_back(el);

        switch (el) {
        case El::trk:
            begin_track();
            return false;
        case El::trkseg:
            if (m_track_decided && m_group) {
                m_group->builder.begin_segment();
            } else {
                m_segment_pending = true;
            }
            return false;
        case El::trkpt:
            if (parent == El::trkseg) {
                m_in_point = true;
                m_point = Sample{};
                m_point.lat_deg = coordinate(attributes.find("lat"), 90);
                m_point.lon_deg = coordinate(attributes.find("lon"), 180);
                if (std::isnan(m_point.lat_deg) || std::isnan(m_point.lon_deg)) {
                    m_point.lat_deg = Sample::none;
                    m_point.lon_deg = Sample::none;
                }
            }
            return false;
        case El::rte:
            ++m_routes;
            return false;
        case El::wpt:
            if (parent == El::root) {
                ++m_waypoints;
            }
            return false;
        case El::name:
        case El::type:
            return parent == El::trk;
        case El::ele:
        case El::time:
            return m_in_point && parent == El::trkpt;
        case El::speed:
        case El::hr:
            return m_in_point;
        default:
            return false;
        }
    }

    void end_element(std::string_view text) override {
        const El el = m_stack.back();
        m_stack.pop_back();
        switch (el) {
        case El::trk:
            end_track();
            break;
        case El::name:
            if (!text.empty() && m_track_name.empty()) {
                m_track_name = std::string(text);
            }
            break;
        case El::type:
            if (!text.empty()) {
                m_track_sport = sport_from_type(text);
            }
            break;
        case El::ele:
            if (auto v = detail::parse_xml_double(text)) {
                m_point.altitude_m = *v;
            }
            break;
        case El::time:
            if (!text.empty()) {
                m_point_time_text = true;
                if (auto t = parse_iso8601(text)) {
                    m_point.time_s = *t;
                }
            }
            break;
        case El::speed:
            if (auto v = detail::parse_xml_double(text); v && *v >= 0) {
                m_point.speed_mps = *v;
            }
            break;
        case El::hr:
            if (auto v = detail::parse_xml_double(text); v && *v > 0 && *v < 255) {
                m_point.heart_rate = *v;
            }
            break;
        case El::trkpt:
            if (m_in_point) {
                end_point();
            }
            m_in_point = false;
            m_point_time_text = false;
            break;
        default:
            break;
        }
    }

    ReadResult result(const detail::XmlParseInfo& info) {
        if (info.truncated && !m_track_decided) {
            flush_pending();
        }
        finish_group();
        ReadResult out;
        for (auto& activity : m_done) {
            if (info.leading_whitespace) {
                activity.set(Flag::leading_whitespace);
            }
            if (info.undeclared_prefix) {
                activity.set(Flag::undeclared_prefix);
            }
        }
        if (info.undeclared_prefix) {
            out.warnings.push_back("undeclared namespace prefix ignored (" +
                                   info.undeclared_prefix_message + ")");
        }
        out.activities = std::move(m_done);
        if (out.activities.empty()) {
            if (m_routes > 0 || m_waypoints > 0) {
                out.skipped = "GPX holds no track points, only " + std::to_string(m_routes) +
                              " route(s) and " + std::to_string(m_waypoints) +
                              " waypoint(s) (plans, not recorded activities)";
            } else {
                out.skipped = "GPX holds no track points";
            }
        }
        return out;
    }

private:
    static double coordinate(std::optional<std::string_view> text, double limit) noexcept {
        if (!text) {
            return Sample::none;
        }
        const auto v = detail::parse_xml_double(*text);
        return v && std::abs(*v) <= limit ? *v : Sample::none;
    }

    void begin_track() {
        m_track_sport.reset();
        m_track_name.clear();
        m_pending.clear();
        m_segment_pending = false;
        // A track can start a new activity only if the current one has times.
        m_track_decided = !(m_group && m_group->max_time_s);
    }

    void end_track() {
        if (!m_track_decided) {
            flush_pending();
        }
        if (m_group) {
            adopt_track_metadata(*m_group);
        }
    }

    void adopt_track_metadata(Group& g) {
        if (!g.sport && m_track_sport) {
            g.sport = m_track_sport;
        }
        if (g.features.name.empty() && !m_track_name.empty()) {
            g.features.name = m_track_name;
        }
    }

    Group& group() {
        if (!m_group) {
            m_group.emplace();
            m_group->features.source = m_source;
            m_group->features.format = Format::gpx;
        }
        return *m_group;
    }

    void end_point() {
        // Bogus times: see the rules at the top.
        bool bad_time = m_point_time_text && std::isnan(m_point.time_s);
        if (!std::isnan(m_point.time_s)) {
            const double t = m_point.time_s;
            bool bogus = t < earliest_plausible_s || t > latest_plausible_s;
            if (!bogus && m_track_decided && m_group && m_group->last_time_s &&
                t < *m_group->last_time_s - backwards_limit_s) {
                bogus = true;
            }
            if (bogus) {
                m_point.time_s = Sample::none;
                bad_time = true;
            }
        }
        if (bad_time) {
            m_bad_time_pending = true;
        }

        if (!m_track_decided) {
            if (std::isnan(m_point.time_s)) {
                m_pending.push_back({m_point, m_segment_pending});
                m_segment_pending = false;
                if (m_pending.size() > max_pending_points) {
                    flush_pending();
                }
                return;
            }
            if (m_group && m_group->max_time_s &&
                m_point.time_s > *m_group->max_time_s + new_activity_gap_s) {
                finish_group();
            }
            flush_pending();
        }
        Group& g = group();
        if (m_segment_pending) {
            g.builder.begin_segment();
            m_segment_pending = false;
        }
        add_to(g, m_point);
    }

    void flush_pending() {
        m_track_decided = true;
        Group& g = group();
        for (const Pending& p : m_pending) {
            if (p.new_segment) {
                g.builder.begin_segment();
            }
            add_to(g, p.sample);
        }
        m_pending.clear();
    }

    void add_to(Group& g, const Sample& s) {
        adopt_track_metadata(g);
        if (m_bad_time_pending) {
            g.features.set(Flag::bad_timestamp);
            m_bad_time_pending = false;
        }
        ++g.points;
        if (!std::isnan(s.heart_rate)) {
            g.hr_sum += s.heart_rate;
            ++g.hr_count;
        }
        if (!std::isnan(s.time_s)) {
            ++g.timed_points;
            g.min_time_s = std::min(g.min_time_s.value_or(s.time_s), s.time_s);
            g.max_time_s = std::max(g.max_time_s.value_or(s.time_s), s.time_s);
            g.last_time_s = s.time_s;
        }
        g.builder.add(s);
    }

    void finish_group() {
        if (!m_group) {
            return;
        }
        Group& g = *m_group;
        ActivityFeatures& f = g.features;
        const StreamFeatures stream = g.builder.finish();
        f.sport = g.sport.value_or(Sport::running);
        if (g.timed_points >= 2 && g.min_time_s && g.max_time_s) {
            f.start_utc = static_cast<std::int64_t>(std::floor(*g.min_time_s));
            f.elapsed_s = *g.max_time_s - *g.min_time_s;
        }
        if (g.timed_points < 2 || 2 * g.timed_points < g.points) {
            f.set(Flag::no_timestamps);
        }
        if (g.hr_count > 0) {
            f.avg_hr = g.hr_sum / static_cast<double>(g.hr_count);
        }
        f.set(Flag::no_summary);
        f.records = g.points;
        apply_stream_features(f, stream);
        m_done.push_back(std::move(f));
        m_group.reset();
    }

    const std::string& m_source;
    detail::XmlParser* m_parser = nullptr;
    std::vector<El> m_stack;
    std::optional<Group> m_group;
    std::vector<Pending> m_pending;
    bool m_track_decided = true;
    bool m_segment_pending = false;
    bool m_bad_time_pending = false;
    std::optional<Sport> m_track_sport;
    std::string m_track_name;
    Sample m_point;
    bool m_in_point = false;
    bool m_no_namespace = false;
    bool m_point_time_text = false;
    std::uint64_t m_routes = 0;
    std::uint64_t m_waypoints = 0;
    std::vector<ActivityFeatures> m_done;
};

class GpxReader final : public Reader {
public:
    std::string_view name() const noexcept override { return "gpx"; }
    std::string_view description() const noexcept override {
        return "GPX 1.0/1.1 tracks (Garmin TrackPointExtension v1/v2, ClueTrust gpxdata heart "
               "rate)";
    }
    std::string_view extensions() const noexcept override { return ".gpx"; }
    Format format() const noexcept override { return Format::gpx; }

    int identify(std::span<const std::uint8_t> head,
                 std::string_view /*file_name*/) const noexcept override {
        return detail::identify_xml_root(head, "gpx");
    }

    ReadResult read(ByteStream& in, const std::string& source) const override {
        return detail::read_xml<GpxHandler>(in, source);
    }

    /// Against the bundled XSDs (xml_validate.hpp).
    std::optional<ValidationReport> validate(const std::string& path,
                                             std::span<const std::uint8_t> head,
                                             const std::string& schemas_dir) const override {
        return validate_tcx_gpx(path, head, schemas_dir);
    }
};

} // namespace

std::unique_ptr<Reader> make_gpx_reader() {
    return std::make_unique<GpxReader>();
}

} // namespace ultrastrength
