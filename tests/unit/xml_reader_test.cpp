// TCX and GPX readers on tiny inline documents: the real-world defects they
// tolerate and the hostile inputs they refuse (with the line, without
// hanging or touching the network).
#include "converters/gpx/gpx_reader.hpp"
#include "converters/reader.hpp"
#include "converters/stream.hpp"
#include "converters/tcx/tcx_reader.hpp"
#include "converters/xml/xml_sax.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ultrastrength {
namespace {

std::span<const std::uint8_t> bytes(std::string_view text) {
    return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

ReadResult read_with(const Reader& reader, std::string_view text) {
    MemoryStream in(bytes(text));
    return reader.read(in, "test.xml");
}

ReadResult read_tcx(std::string_view text) {
    return read_with(*make_tcx_reader(), text);
}
ReadResult read_gpx(std::string_view text) {
    return read_with(*make_gpx_reader(), text);
}

/// The ReadError message of reading `text`, or "" if it was read.
std::string error_of(const Reader& reader, std::string_view text) {
    try {
        read_with(reader, text);
    } catch (const ReadError& e) {
        return e.what();
    }
    return {};
}

constexpr std::string_view gpx_open =
    R"(<gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1")"
    R"( xmlns:tp="http://www.garmin.com/xmlschemas/TrackPointExtension/v2">)";

std::string point(const char* time, double lat = 46.0, int hr = 0) {
    std::string p = "<trkpt lat=\"" + std::to_string(lat) + "\" lon=\"14.5\">";
    if (time != nullptr) {
        p += std::string("<time>") + time + "</time>";
    }
    if (hr > 0) {
        p += "<extensions><tp:TrackPointExtension><tp:hr>" + std::to_string(hr) +
             "</tp:hr></tp:TrackPointExtension></extensions>";
    }
    return p + "</trkpt>";
}

// ---- identify -------------------------------------------------------------

TEST(XmlIdentify, RootAfterBomWhitespaceDeclarationAndComment) {
    const auto tcx = make_tcx_reader();
    const auto gpx = make_gpx_reader();
    const std::string_view head =
        "\xEF\xBB\xBF   <?xml version=\"1.0\"?>\n<!-- exported -->\n<g:gpx xmlns:g=\"x\">";
    EXPECT_EQ(gpx->identify(bytes(head), "a.xml"), 100);
    EXPECT_EQ(tcx->identify(bytes(head), "a.gpx"), 0);
    EXPECT_EQ(tcx->identify(bytes("<TrainingCenterDatabase xmlns=\"x\">"), "a"), 100);
    EXPECT_EQ(gpx->identify(bytes("<gpxfoo>"), "a.gpx"), 0);
    EXPECT_EQ(gpx->identify(bytes("hello"), "a.gpx"), 0);
    // Hostile files are claimed, so that the reader refuses them by name.
    EXPECT_EQ(
        gpx->identify(bytes("<?xml version=\"1.0\"?>\n<!DOCTYPE gpx [\n <!ENTITY a \"aaaa\">\n"
                            " <!ENTITY b \"&a;&a;\">\n]>\n<gpx xmlns=\"x\">"),
                      "a.gpx"),
        100);
    EXPECT_EQ(tcx->identify(bytes("<!DOCTYPE TrainingCenterDatabase SYSTEM "
                                  "\"http://x/y.dtd\"><TrainingCenterDatabase>"),
                            "a.tcx"),
              100);
    EXPECT_EQ(gpx->identify(bytes(""), "a.gpx"), 0);
}

// ---- TCX ------------------------------------------------------------------

constexpr std::string_view tcx_two_legs = R"(<?xml version="1.0" encoding="UTF-8"?>
<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">
 <Activities>
  <MultiSportSession>
   <Id>2020-01-01T10:00:00Z</Id>
   <FirstSport><Activity Sport="Running"><Id>2020-01-01T10:00:00Z</Id>
    <Lap StartTime="2020-01-01T10:00:00Z"><TotalTimeSeconds>600</TotalTimeSeconds><DistanceMeters>2000</DistanceMeters>
     <Track>
      <Trackpoint><Time>2020-01-01T10:00:00Z</Time><DistanceMeters>0</DistanceMeters>
       <HeartRateBpm><Value>120</Value></HeartRateBpm>
       <Extensions><TPX xmlns="http://www.garmin.com/xmlschemas/ActivityExtension/v2"><Speed>3.3</Speed></TPX></Extensions>
      </Trackpoint>
      <Trackpoint><Time>2020-01-01T10:10:00Z</Time><DistanceMeters>1980</DistanceMeters>
       <HeartRateBpm><Value>140</Value></HeartRateBpm></Trackpoint>
     </Track></Lap></Activity></FirstSport>
   <NextSport><Activity Sport="Biking"><Id>2020-01-01T10:12:00Z</Id>
    <Lap StartTime="2020-01-01T10:12:00Z"><TotalTimeSeconds>100</TotalTimeSeconds>
     <Track>
      <Trackpoint><Time>2020-01-01T10:12:00Z</Time><DistanceMeters>0</DistanceMeters></Trackpoint>
      <Trackpoint><Time>2020-01-01T10:13:40Z</Time><DistanceMeters>700</DistanceMeters></Trackpoint>
     </Track></Lap></Activity></NextSport>
  </MultiSportSession>
 </Activities>
</TrainingCenterDatabase>
)";

TEST(TcxReader, MultiSportSessionGivesOneActivityPerLeg) {
    const ReadResult r = read_tcx(tcx_two_legs);
    ASSERT_EQ(r.activities.size(), 2U);
    const ActivityFeatures& run = r.activities[0];
    EXPECT_EQ(run.sport, Sport::running);
    EXPECT_TRUE(run.has(Flag::multisport));
    EXPECT_EQ(run.start_utc, 1577872800);
    EXPECT_DOUBLE_EQ(run.elapsed_s.value_or(-1), 600);
    EXPECT_DOUBLE_EQ(run.timer_s.value_or(-1), 600);
    EXPECT_DOUBLE_EQ(run.distance_m.value_or(-1), 2000); // laps, not the last point's 1980
    EXPECT_DOUBLE_EQ(run.avg_hr.value_or(-1), 130);      // plain mean of the points (no lap HR)
    EXPECT_EQ(run.records, 2U);
    const ActivityFeatures& ride = r.activities[1];
    EXPECT_EQ(ride.sport, Sport::cycling);
    EXPECT_TRUE(ride.has(Flag::multisport));
    // No lap distance: the last trackpoint distance.
    EXPECT_DOUBLE_EQ(ride.distance_m.value_or(-1), 700);
    EXPECT_DOUBLE_EQ(ride.elapsed_s.value_or(-1), 100);
}

TEST(TcxReader, PauseOfHoursInsideAnActivityIsRead) {
    // Found by tcx_fuzz: a gap longer than the best-60-min window between two
    // moving stretches made the grade-adjusted-speed bins index before their base.
    std::string points;
    const auto add = [&](const char* time, double distance_m) {
        points += std::string("<Trackpoint><Time>") + time + "</Time><DistanceMeters>" +
                  std::to_string(distance_m) + "</DistanceMeters></Trackpoint>";
    };
    add("2020-01-01T10:00:00Z", 0);
    add("2020-01-01T10:05:00Z", 1000);
    add("2020-01-01T10:10:00Z", 2000);
    add("2020-01-01T22:10:00Z", 3000);
    add("2020-01-01T22:15:00Z", 4000);
    const std::string doc =
        R"(<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"><Activities>)"
        R"(<Activity Sport="Running"><Id>2020-01-01T10:00:00Z</Id><Lap StartTime="2020-01-01T10:00:00Z"><Track>)" +
        points + "</Track></Lap></Activity></Activities></TrainingCenterDatabase>";
    const ReadResult r = read_tcx(doc);
    ASSERT_EQ(r.activities.size(), 1U);
    EXPECT_DOUBLE_EQ(r.activities[0].elapsed_s.value_or(-1), 12 * 3600 + 900);
    EXPECT_DOUBLE_EQ(r.activities[0].distance_m.value_or(-1), 4000);
}

TEST(TcxReader, LeadingWhitespaceAndBomAreSkippedAndFlagged) {
    const std::string doc = "\xEF\xBB\xBF          " + std::string(tcx_two_legs);
    const ReadResult r = read_tcx(doc);
    ASSERT_EQ(r.activities.size(), 2U);
    EXPECT_TRUE(r.activities[0].has(Flag::leading_whitespace));
}

TEST(TcxReader, LapsDisagreeingWithPointsAreFlagged) {
    std::string doc(tcx_two_legs);
    doc.replace(doc.find("<DistanceMeters>2000"), 20, "<DistanceMeters>3000");
    const ReadResult r = read_tcx(doc);
    ASSERT_EQ(r.activities.size(), 2U);
    EXPECT_TRUE(r.activities[0].has(Flag::summary_mismatch));
    EXPECT_FALSE(r.activities[1].has(Flag::summary_mismatch));
}

TEST(TcxReader, CoursesOnlyFileIsSkippedWithReason) {
    const ReadResult r = read_tcx(
        R"(<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">
<Courses><Course><Name>x</Name><Track><Trackpoint><Time>2020-01-01T10:00:00Z</Time></Trackpoint></Track></Course></Courses>
</TrainingCenterDatabase>)");
    EXPECT_TRUE(r.activities.empty());
    EXPECT_EQ(r.skipped,
              "TCX holds only courses (planned routes or sessions, not recorded activities)");
}

TEST(TcxReader, WrongRootIsRefused) {
    EXPECT_EQ(error_of(*make_tcx_reader(), std::string(gpx_open) + "</gpx>"),
              "test.xml: line 1: root element <gpx> is not TrainingCenterDatabase in namespace "
              "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2");
}

TEST(TcxReader, DocumentCutShortKeepsThePointsAndFlagsTruncation) {
    // An interrupted download: the first leg is complete, the second is cut.
    const std::string doc(
        tcx_two_legs.substr(0, tcx_two_legs.find("<Trackpoint><Time>2020-01-01T10:13:40Z")));
    const ReadResult r = read_tcx(doc);
    ASSERT_EQ(r.activities.size(), 2U);
    EXPECT_FALSE(r.activities[0].has(Flag::truncated));
    EXPECT_TRUE(r.activities[1].has(Flag::truncated));
    EXPECT_EQ(r.activities[1].records, 1U);
    ASSERT_EQ(r.warnings.size(), 1U);
    const auto last_line = std::to_string(1 + std::count(doc.begin(), doc.end(), '\n'));
    EXPECT_EQ(r.warnings[0],
              "input ends early (line " + last_line +
                  ": the input ends inside <Track>: the rest of the document is missing); "
                  "the points before were kept");
}

TEST(TcxReader, DocumentCutBeforeAnyPointIsRefusedWithTheLine) {
    const std::string doc(tcx_two_legs.substr(0, tcx_two_legs.find("<Track>")));
    const std::string error = error_of(*make_tcx_reader(), doc);
    const auto last_line = std::to_string(1 + std::count(doc.begin(), doc.end(), '\n'));
    EXPECT_EQ(error, "test.xml: line " + last_line +
                         ": the input ends inside <Lap>: the rest of the document is missing");
}

/// A GPX track of `n` one-second points with heart rate, one point per line
/// (about 200 KB for 1,500 points: many times the parser's read size).
std::string long_gpx(int n) {
    std::string doc = std::string(gpx_open) + "\n<trk><type>running</type><trkseg>\n";
    for (int i = 0; i < n; ++i) {
        char time[32];
        std::snprintf(time, sizeof time, "2020-05-01T%02d:%02d:%02dZ", 7 + i / 3600, i / 60 % 60,
                      i % 60);
        doc += point(time, 46.0 + i * 1e-5, 120 + i % 40) + "\n";
    }
    return doc + "</trkseg></trk></gpx>\n";
}

TEST(XmlTruncation, LongDocumentCutInsideAPointKeepsTheWholePoints) {
    const std::string full = long_gpx(1500);
    const std::string doc = full.substr(0, full.find("07:16:40Z") + 3); // inside point 1000
    const ReadResult r = read_gpx(doc);
    ASSERT_EQ(r.activities.size(), 1U);
    EXPECT_TRUE(r.activities[0].has(Flag::truncated));
    EXPECT_EQ(r.activities[0].records, 1000U);
    ASSERT_EQ(r.warnings.size(), 1U);
    EXPECT_EQ(r.warnings[0], "input ends early (line 1003: the input ends inside <time>: the "
                             "rest of the document is missing); the points before were kept");
}

TEST(XmlTruncation, MalformedTextNearTheEndIsAnErrorNotACut) {
    // Bad XML in the last bytes, with the end of the input already read, is
    // still bad XML: nothing is kept as if the file had been cut.
    const std::string full = long_gpx(1500);
    const std::size_t at = full.rfind("<tp:hr>") + 7;
    const std::string doc = full.substr(0, at) + "&" + full.substr(at);
    const std::string error = error_of(*make_gpx_reader(), doc);
    EXPECT_EQ(error, "test.xml: line 1502: not well-formed XML: xmlParseEntityRef: no name");
}

TEST(XmlTruncation, CutInsideTheRootStartTagSaysSo) {
    const std::string doc(gpx_open.substr(0, 40));
    EXPECT_EQ(error_of(*make_gpx_reader(), doc),
              "test.xml: line 1: the input ends before the root element is complete (not "
              "well-formed XML: AttValue: ' expected)");
}

TEST(XmlNumbers, SameValuesAsFromChars) {
    // Plain decimals take a short path; every value must be the correctly
    // rounded one that std::from_chars gives, and other forms still parse.
    std::vector<std::string> texts = {"0",
                                      "-0",
                                      "7",
                                      "134",
                                      "46.0123456",
                                      "-122.4194155",
                                      "0.1",
                                      "2.675",
                                      "123456789012345",
                                      "1234567890123456",
                                      "9007199254740993",
                                      "0.000000000000001",
                                      "1e3",
                                      "1.5E-2",
                                      "  42.5 ",
                                      "+3.25",
                                      "00012.50",
                                      "1.",
                                      ".5",
                                      "-",
                                      "",
                                      "1.2.3",
                                      "12a",
                                      "inf"};
    std::uint64_t state = 88172645463325252ULL;
    for (int i = 0; i < 20000; ++i) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        const auto int_digits = static_cast<int>(state % 8);
        const auto frac_digits = static_cast<int>((state >> 8) % 12);
        std::string t = (state >> 20) % 3 == 0 ? "-" : "";
        std::uint64_t digits = state >> 24;
        for (int d = 0; d < int_digits + 1; ++d, digits /= 10) {
            t += static_cast<char>('0' + digits % 10);
        }
        if (frac_digits > 0) {
            t += '.';
            for (int d = 0; d < frac_digits; ++d, digits = digits / 10 + state % 7) {
                t += static_cast<char>('0' + digits % 10);
            }
        }
        texts.push_back(t);
    }
    for (const auto& text : texts) {
        std::string_view trimmed = text;
        while (!trimmed.empty() && trimmed.front() == ' ') {
            trimmed.remove_prefix(1);
        }
        while (!trimmed.empty() && trimmed.back() == ' ') {
            trimmed.remove_suffix(1);
        }
        if (!trimmed.empty() && trimmed.front() == '+') {
            trimmed.remove_prefix(1);
        }
        double expected = 0;
        const auto [ptr, ec] =
            std::from_chars(trimmed.data(), trimmed.data() + trimmed.size(), expected);
        const bool valid = ec == std::errc{} && ptr == trimmed.data() + trimmed.size() &&
                           !trimmed.empty() && std::isfinite(expected);
        const std::optional<double> got = detail::parse_xml_double(text);
        ASSERT_EQ(got.has_value(), valid) << text;
        if (valid) {
            // Bit for bit, sign of zero included.
            EXPECT_EQ(std::bit_cast<std::uint64_t>(*got), std::bit_cast<std::uint64_t>(expected))
                << text;
        }
    }
}

// ---- GPX ------------------------------------------------------------------

TEST(GpxReader, TracksHoursApartAreSeparateActivities) {
    const std::string doc = std::string(gpx_open) + "<trk><type>running</type><trkseg>" +
                            point("2020-05-01T07:00:00Z") + point("2020-05-01T07:30:00Z", 46.01) +
                            "</trkseg></trk><trk><type>1</type><trkseg>" +
                            point("2020-05-01T17:00:00Z") + point("2020-05-01T18:00:00Z", 46.1) +
                            "</trkseg></trk></gpx>";
    const ReadResult r = read_gpx(doc);
    ASSERT_EQ(r.activities.size(), 2U);
    EXPECT_EQ(r.activities[0].sport, Sport::running);
    EXPECT_DOUBLE_EQ(r.activities[0].elapsed_s.value_or(-1), 1800);
    EXPECT_EQ(r.activities[1].sport, Sport::cycling);
    EXPECT_DOUBLE_EQ(r.activities[1].elapsed_s.value_or(-1), 3600);
}

TEST(GpxReader, TracksMinutesApartAreOneActivityWithoutDistanceAcrossTheGap) {
    const std::string doc = std::string(gpx_open) + "<trk><type>9</type><trkseg>" +
                            point("2020-05-01T07:00:00Z") + point("2020-05-01T07:10:00Z", 46.01) +
                            "</trkseg></trk><trk><trkseg>" + point("2020-05-01T07:20:00Z", 46.02) +
                            point("2020-05-01T07:30:00Z", 46.03) + "</trkseg></trk></gpx>";
    const ReadResult r = read_gpx(doc);
    ASSERT_EQ(r.activities.size(), 1U);
    const ActivityFeatures& a = r.activities[0];
    EXPECT_EQ(a.sport, Sport::running);
    EXPECT_EQ(a.records, 4U);
    EXPECT_DOUBLE_EQ(a.elapsed_s.value_or(-1), 1800);
    // Two segments of 0.01 degree of latitude (1111.95 m each); the gap between the tracks is not
    // counted.
    EXPECT_NEAR(a.distance_m.value_or(-1), 2 * 1111.95, 1.0);
}

TEST(GpxReader, BogusYearIsIgnoredAndFlagged) {
    const std::string doc = std::string(gpx_open) + "<trk><trkseg>" +
                            point("2020-05-01T07:00:00Z") + point("1901-12-13T20:45:52Z", 46.001) +
                            point("2020-05-01T07:01:00Z", 46.002) + "</trkseg></trk></gpx>";
    const ReadResult r = read_gpx(doc);
    ASSERT_EQ(r.activities.size(), 1U);
    EXPECT_TRUE(r.activities[0].has(Flag::bad_timestamp));
    EXPECT_EQ(r.activities[0].start_utc, 1588316400);
    EXPECT_DOUBLE_EQ(r.activities[0].elapsed_s.value_or(-1), 60);
}

TEST(GpxReader, NoTimesGivesDistanceOnly) {
    const std::string doc = std::string(gpx_open) + "<trk><trkseg>" + point(nullptr) +
                            point(nullptr, 46.001) + "</trkseg></trk></gpx>";
    const ReadResult r = read_gpx(doc);
    ASSERT_EQ(r.activities.size(), 1U);
    const ActivityFeatures& a = r.activities[0];
    EXPECT_TRUE(a.has(Flag::no_timestamps));
    EXPECT_FALSE(a.start_utc.has_value());
    EXPECT_NEAR(a.distance_m.value_or(-1), 111.195, 0.1);
}

TEST(GpxReader, HeartRateFromTrackPointExtensionV2AndGpxData) {
    const std::string doc =
        std::string(gpx_open) + "<trk><trkseg>" + point("2020-05-01T07:00:00Z", 46.0, 100) +
        point("2020-05-01T07:00:10Z", 46.0001, 150) +
        R"(<trkpt lat="46.0002" lon="14.5"><time>2020-05-01T07:00:20Z</time><extensions>)"
        R"(<d:hr xmlns:d="http://www.cluetrust.com/XML/GPXDATA/1/0">170</d:hr></extensions></trkpt>)"
        "</trkseg></trk></gpx>";
    const ReadResult r = read_gpx(doc);
    ASSERT_EQ(r.activities.size(), 1U);
    EXPECT_DOUBLE_EQ(r.activities[0].avg_hr.value_or(-1), 140);
    EXPECT_DOUBLE_EQ(r.activities[0].max_hr.value_or(-1), 170);
}

TEST(GpxReader, UndeclaredPrefixIsToleratedAndFlagged) {
    const std::string doc =
        std::string(gpx_open) + "<trk><trkseg>" +
        R"(<trkpt lat="46" lon="14.5"><time>2020-05-01T07:00:00Z</time>)"
        R"(<extensions><gpxdata:cadence>76</gpxdata:cadence></extensions></trkpt>)" +
        point("2020-05-01T07:01:00Z", 46.001) + "</trkseg></trk></gpx>";
    const ReadResult r = read_gpx(doc);
    ASSERT_EQ(r.activities.size(), 1U);
    EXPECT_TRUE(r.activities[0].has(Flag::undeclared_prefix));
    EXPECT_EQ(r.activities[0].records, 2U);
    ASSERT_EQ(r.warnings.size(), 1U);
    EXPECT_NE(r.warnings[0].find("gpxdata"), std::string::npos) << r.warnings[0];
}

TEST(GpxReader, RoutesOnlyFileIsSkippedWithReason) {
    const std::string doc =
        std::string(gpx_open) +
        R"(<wpt lat="46" lon="14"/><rte><rtept lat="46" lon="14"/></rte></gpx>)";
    const ReadResult r = read_gpx(doc);
    EXPECT_TRUE(r.activities.empty());
    EXPECT_EQ(r.skipped, "GPX holds no track points, only 1 route(s) and 1 waypoint(s) (plans, not "
                         "recorded activities)");
}

// ---- hostile input ----------------------------------------------------------

TEST(XmlHostile, BillionLaughsIsRefusedAtTheDoctype) {
    const std::string doc = R"(<?xml version="1.0"?>
<!DOCTYPE gpx [
 <!ENTITY a "aaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
]>
<gpx xmlns="http://www.topografix.com/GPX/1/1"><trk><name>&d;&d;&d;&d;</name></trk></gpx>)";
    EXPECT_EQ(error_of(*make_gpx_reader(), doc),
              "test.xml: line 2: document type declaration <!DOCTYPE gpx> refused "
              "(DTDs and entities are not accepted in TCX/GPX)");
}

TEST(XmlHostile, ExternalEntityIsNeverLoaded) {
    const std::string doc = R"(<?xml version="1.0"?>
<!DOCTYPE TrainingCenterDatabase [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">&x;</TrainingCenterDatabase>)";
    const std::string error = error_of(*make_tcx_reader(), doc);
    EXPECT_EQ(
        error,
        "test.xml: line 2: document type declaration <!DOCTYPE TrainingCenterDatabase> refused "
        "(DTDs and entities are not accepted in TCX/GPX)");
}

TEST(XmlHostile, ExternalDtdOverTheNetworkIsRefused) {
    const auto start = std::chrono::steady_clock::now();
    const std::string error = error_of(
        *make_gpx_reader(),
        R"(<!DOCTYPE gpx SYSTEM "http://203.0.113.1/gpx.dtd"><gpx xmlns="http://www.topografix.com/GPX/1/1"/>)");
    EXPECT_EQ(error, "test.xml: line 1: document type declaration <!DOCTYPE gpx> refused "
                     "(DTDs and entities are not accepted in TCX/GPX)");
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

TEST(XmlHostile, UndefinedEntityReferenceIsAnError) {
    const std::string error = error_of(
        *make_gpx_reader(), std::string(gpx_open) + "<trk><name>&nope;</name></trk></gpx>");
    EXPECT_EQ(error, "test.xml: line 1: not well-formed XML: Entity 'nope' not defined");
}

TEST(XmlHostile, AbsurdNestingIsRefused) {
    std::string doc(gpx_open);
    for (int i = 0; i < 1000; ++i) {
        doc += "<x>";
    }
    EXPECT_EQ(
        error_of(*make_gpx_reader(), doc),
        "test.xml: line 1: elements nested deeper than 128 levels; expected a TCX or GPX document "
        "(at most a dozen levels)");
}

TEST(XmlHostile, GiganticTextWhereATimeBelongsIsRefused) {
    const std::string doc = std::string(gpx_open) +
                            "<trk><trkseg><trkpt lat=\"1\" lon=\"2\">\n<time>" +
                            std::string(1 << 20, '9') + "</time></trkpt></trkseg></trk></gpx>";
    EXPECT_EQ(
        error_of(*make_gpx_reader(), doc),
        "test.xml: line 2: element text longer than 4096 bytes where a number, time or short name "
        "was expected");
}

TEST(XmlHostile, JunkIsNotXml) {
    const std::string error = error_of(*make_gpx_reader(), "this is not XML at all\n");
    EXPECT_EQ(error,
              "test.xml: line 1: expected '<' (an XML declaration or a root element), found 't'");
    EXPECT_EQ(
        error_of(*make_gpx_reader(), "\n\n\x01"),
        "test.xml: line 3: expected '<' (an XML declaration or a root element), found byte 0x01");
    EXPECT_EQ(error_of(*make_gpx_reader(), ""),
              "test.xml: line 1: empty document: expected an XML declaration or a root element");
    EXPECT_EQ(error_of(*make_gpx_reader(), "   \n  "),
              "test.xml: line 1: empty document: expected an XML declaration or a root element");
}

} // namespace
} // namespace ultrastrength
