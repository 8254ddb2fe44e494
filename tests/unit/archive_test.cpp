// Containers: gzip and zip (nested), limits, hostile and junk members,
// export indexes. Archives are built at runtime; the activity payload is a
// tiny test-only format ("PROBE <start> <sport>") read by a reader defined
// here, so these tests check the container plumbing byte for byte whatever
// state the real readers are in. Corpus containers: tests/corpus.
#include "converters/archive/gzip_stream.hpp"
#include "converters/archive/zip_archive.hpp"
#include "converters/scan.hpp"
#include "tests/support/archive_builder.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace ultrastrength {
namespace {

using test::Bytes;
using test::make_gzip;
using test::make_zip;
using test::to_bytes;
using Kind = InputOutcome::Kind;

/// "PROBE <unix start> <sport>\n" then anything: one activity whose
/// `records` is the number of bytes in the stream.
class ProbeReader final : public Reader {
public:
    std::string_view name() const noexcept override { return "probe"; }
    std::string_view description() const noexcept override { return "test payload"; }
    std::string_view extensions() const noexcept override { return ".probe"; }
    Format format() const noexcept override {
        return static_cast<Format>(0x41);
    } // a value of its own
    int identify(std::span<const std::uint8_t> head, std::string_view) const noexcept override {
        return head.size() >= 5 && std::memcmp(head.data(), "PROBE", 5) == 0 ? 100 : 0;
    }
    ReadResult read(ByteStream& in, const std::string& source) const override {
        std::string text;
        std::uint8_t buf[4096];
        std::uint64_t total = 0;
        for (std::size_t n; (n = in.read(buf, sizeof buf)) > 0;) {
            if (text.size() < 64) {
                text.append(reinterpret_cast<const char*>(buf), std::min<std::size_t>(n, 64));
            }
            total += n;
        }
        std::istringstream header(text.substr(6));
        std::int64_t start = 0;
        std::string sport;
        header >> start >> sport;
        ActivityFeatures a;
        a.source = source;
        a.start_utc = start;
        a.sport = sport_from_string(sport).value_or(Sport::other);
        a.records = total;
        a.distance_m = 10000.0;
        a.elapsed_s = 3600.0;
        ReadResult r;
        r.activities.push_back(std::move(a));
        return r;
    }
};

Bytes probe(std::int64_t start, std::string_view sport = "running", std::size_t pad = 0) {
    std::string text = "PROBE ";
    text.append(std::to_string(start)).append(" ").append(sport).append("\n");
    Bytes b = to_bytes(text);
    for (std::size_t i = 0; i < pad; ++i) {
        b.push_back(static_cast<std::uint8_t>(i * 7919 % 251));
    }
    return b;
}

class ArchiveTest : public ::testing::Test {
protected:
    ArchiveTest() {
        m_registry.add(std::make_unique<ProbeReader>());
        register_all(m_registry);
    }
    std::vector<InputOutcome> decode(const Bytes& bytes, const std::string& source,
                                     unsigned jobs = 1, ArchiveLimits limits = {}) {
        MemoryStream in(bytes);
        DecodeOptions options;
        options.jobs = jobs;
        options.limits = limits;
        return decode_input(m_registry, in, source, options);
    }
    ReaderRegistry m_registry;
};

const InputOutcome* find(const std::vector<InputOutcome>& outcomes, std::string_view source) {
    for (const auto& o : outcomes) {
        if (o.source == source) {
            return &o;
        }
    }
    return nullptr;
}

TEST_F(ArchiveTest, GzipIsInflatedAndKeepsItsName) {
    const Bytes payload = probe(1700000000, "running", 300000);
    const auto out = decode(make_gzip(payload), "run.fit.gz");
    ASSERT_EQ(out.size(), 1U);
    EXPECT_EQ(out[0].kind, Kind::read) << out[0].message;
    EXPECT_EQ(out[0].source, "run.fit.gz");
    ASSERT_EQ(out[0].activities.size(), 1U);
    EXPECT_EQ(out[0].activities[0].records, payload.size());
    EXPECT_EQ(out[0].bytes, payload.size());
}

TEST_F(ArchiveTest, MultiMemberGzipIsOneStream) {
    const Bytes first = probe(1700000000, "running", 1000);
    const Bytes second(5000, 0x42);
    Bytes gz = make_gzip(first);
    const Bytes tail = make_gzip(second);
    gz.insert(gz.end(), tail.begin(), tail.end());
    const auto out = decode(gz, "two.gz");
    ASSERT_EQ(out.size(), 1U);
    ASSERT_EQ(out[0].activities.size(), 1U);
    EXPECT_EQ(out[0].activities[0].records, first.size() + second.size());
}

TEST_F(ArchiveTest, TruncatedGzipIsRejectedWithWhere) {
    Bytes gz = make_gzip(probe(1700000000, "running", 200000));
    gz.resize(gz.size() / 2);
    const auto out = decode(gz, "cut.fit.gz");
    ASSERT_EQ(out.size(), 1U);
    EXPECT_EQ(out[0].kind, Kind::rejected);
    EXPECT_NE(out[0].message.find("cut.fit.gz: gzip: data ends early (truncated after"),
              std::string::npos)
        << out[0].message;
}

TEST_F(ArchiveTest, CorruptGzipIsRejected) {
    Bytes gz = make_gzip(probe(1700000000, "running", 200000));
    for (std::size_t i = gz.size() / 3; i < gz.size() / 3 + 64; ++i) {
        gz[i] ^= 0x5a;
    }
    const auto out = decode(gz, "bad.gz");
    ASSERT_EQ(out.size(), 1U);
    EXPECT_EQ(out[0].kind, Kind::rejected);
    EXPECT_NE(out[0].message.find("bad.gz: gzip: "), std::string::npos) << out[0].message;
}

TEST_F(ArchiveTest, NestedZipsNameTheirMembersAndKeepOrder) {
    const Bytes inner = make_zip({{"b.fit", probe(1700100000, "cycling", 70000)},
                                  {"c.fit.gz", make_gzip(probe(1700200000, "walking", 5000))}});
    const Bytes outer = make_zip({{"a.gpx", probe(1700000000, "running", 100)},
                                  {"sub/inner.zip", inner},
                                  {"d.tcx", probe(1700300000, "hiking", 10)}});
    for (const unsigned jobs : {1U, 2U, 3U}) {
        SCOPED_TRACE(jobs);
        const auto out = decode(outer, "outer.zip", jobs);
        ASSERT_EQ(out.size(), 4U);
        EXPECT_EQ(out[0].source, "outer.zip!a.gpx");
        EXPECT_EQ(out[1].source, "outer.zip!sub/inner.zip!b.fit");
        EXPECT_EQ(out[2].source, "outer.zip!sub/inner.zip!c.fit.gz");
        EXPECT_EQ(out[3].source, "outer.zip!d.tcx");
        for (const auto& o : out) {
            EXPECT_EQ(o.kind, Kind::read) << o.source << ": " << o.message;
        }
        EXPECT_EQ(out[1].activities.at(0).sport, Sport::cycling);
        EXPECT_EQ(out[1].activities.at(0).records, probe(1700100000, "cycling", 70000).size());
        EXPECT_EQ(out[2].activities.at(0).sport, Sport::walking);
    }
}

TEST_F(ArchiveTest, JunkEntriesAreSkippedWithAReason) {
    const Bytes zip = make_zip({{"export/", {}, true},
                                {"__MACOSX/export/._run.fit", to_bytes("\0\5\26\7 appledouble")},
                                {"export/._run.fit", to_bytes("\0\5\26\7 appledouble")},
                                {"export/.DS_Store", to_bytes("Bud1")},
                                {"export/profile.json", to_bytes("{\"name\": \"x\"}")},
                                {"export/photo.jpg", Bytes{0xff, 0xd8, 0xff, 0xe0, 0, 0}},
                                {"export/run.fit", probe(1700000000)}});
    const auto out = decode(zip, "x.zip");
    ASSERT_EQ(out.size(), 7U);
    EXPECT_EQ(find(out, "x.zip!export/")->message, "folder or special entry");
    EXPECT_EQ(find(out, "x.zip!__MACOSX/export/._run.fit")->message,
              "macOS resource data (__MACOSX)");
    EXPECT_EQ(find(out, "x.zip!export/._run.fit")->message, "AppleDouble metadata (._ file)");
    EXPECT_EQ(find(out, "x.zip!export/.DS_Store")->message, "folder metadata");
    EXPECT_EQ(find(out, "x.zip!export/profile.json")->message,
              "not an activity file (unknown format)");
    EXPECT_EQ(find(out, "x.zip!export/photo.jpg")->message,
              "not an activity file (unknown format)");
    std::size_t skipped = 0;
    for (const auto& o : out) {
        skipped += o.kind == Kind::skipped ? 1 : 0;
    }
    EXPECT_EQ(skipped, 6U);
    EXPECT_EQ(find(out, "x.zip!export/run.fit")->kind, Kind::read);
}

TEST_F(ArchiveTest, EscapingMemberNamesAreReportedNotFollowed) {
    const Bytes zip = make_zip({{"../evil.fit", probe(1700000000)},
                                {"/abs.fit", probe(1700000000)},
                                {"ok/../../up.fit", probe(1700000000)},
                                {"good.fit", probe(1700000000)}});
    const auto out = decode(zip, "hostile.zip");
    ASSERT_EQ(out.size(), 4U);
    EXPECT_EQ(out[0].source, "hostile.zip!../evil.fit");
    EXPECT_EQ(out[0].kind, Kind::rejected);
    EXPECT_EQ(out[0].message, "member name has a '..' component: rejected, not read");
    EXPECT_EQ(out[1].source, "hostile.zip!/abs.fit");
    EXPECT_EQ(out[1].kind, Kind::rejected);
    EXPECT_EQ(out[1].message, "member name is an absolute path: rejected, not read");
    EXPECT_EQ(out[2].kind, Kind::rejected);
    EXPECT_EQ(out[3].kind, Kind::read);
}

TEST_F(ArchiveTest, ZipBombIsStoppedByTheRatioCap) {
    test::ZipMember bomb{"bomb.fit", probe(1700000000)};
    bomb.zeros = 128ULL << 20; // 128 MiB of zeros: ~128 KiB of deflate
    const Bytes zip = make_zip({bomb, {"after.fit", probe(1700000001)}});
    ASSERT_LT(zip.size(), 2U << 20);
    for (const unsigned jobs : {1U, 2U}) {
        SCOPED_TRACE(jobs);
        const auto out = decode(zip, "bomb.zip", jobs);
        ASSERT_EQ(out.size(), 2U);
        EXPECT_EQ(out[0].kind, Kind::rejected);
        const std::string prefix = "bomb.zip!bomb.fit: expands more than 200:1 (";
        ASSERT_EQ(out[0].message.rfind(prefix, 0), 0U) << out[0].message;
        EXPECT_NE(out[0].message.find("decompression bomb?)"), std::string::npos);
        // Stopped long before the end: at most the grace MiB plus 200 times
        // what was consumed, and never more than one member buffer.
        const auto expanded = std::stoull(out[0].message.substr(prefix.size()));
        EXPECT_LT(expanded, 40ULL << 20) << out[0].message;
        // The rest of the archive is still read.
        EXPECT_EQ(out[1].kind, Kind::read) << out[1].message;
    }
}

TEST_F(ArchiveTest, GzipBombIsStoppedByTheRatioCap) {
    Bytes bomb = probe(1700000000);
    bomb.resize(64U << 20, 0);
    const auto out = decode(make_gzip(bomb), "bomb.fit.gz");
    ASSERT_EQ(out.size(), 1U);
    EXPECT_EQ(out[0].kind, Kind::rejected);
    EXPECT_NE(out[0].message.find("bomb.fit.gz: gzip: expands more than 200:1"), std::string::npos)
        << out[0].message;
}

TEST_F(ArchiveTest, TotalExpansionIsCappedPerInput) {
    ArchiveLimits limits;
    limits.max_expanded_bytes = 100000;
    const Bytes zip = make_zip({{"a.fit", probe(1700000000, "running", 60000)},
                                {"b.fit", probe(1700001000, "running", 60000)}});
    const auto out = decode(zip, "big.zip", 1, limits);
    ASSERT_EQ(out.size(), 2U);
    EXPECT_EQ(out[0].kind, Kind::read);
    EXPECT_EQ(out[1].kind, Kind::rejected);
    EXPECT_NE(out[1].message.find("big.zip!b.fit: expands past the limit of"), std::string::npos)
        << out[1].message;
}

TEST_F(ArchiveTest, NestingDepthIsLimited) {
    Bytes bytes = probe(1700000000);
    std::string expected_source = "deep.zip";
    for (int level = 0; level < 6; ++level) {
        bytes = make_zip({{"z.zip", bytes}});
    }
    const auto out = decode(bytes, "deep.zip");
    ASSERT_EQ(out.size(), 1U);
    EXPECT_EQ(out[0].kind, Kind::rejected);
    EXPECT_EQ(out[0].source, "deep.zip!z.zip!z.zip!z.zip!z.zip");
    EXPECT_NE(out[0].message.find("containers nested more than 4 deep: not unpacked"),
              std::string::npos)
        << out[0].message;
}

TEST_F(ArchiveTest, MemberCountIsLimited) {
    ArchiveLimits limits;
    limits.max_members = 3;
    std::vector<test::ZipMember> members;
    for (int i = 0; i < 5; ++i) {
        std::string name = "m";
        name.append(std::to_string(i)).append(".fit");
        members.push_back({name, probe(1700000000 + i * 10000)});
    }
    const auto out = decode(make_zip(members), "many.zip", 1, limits);
    ASSERT_EQ(out.size(), 4U);
    EXPECT_EQ(out[3].source, "many.zip");
    EXPECT_EQ(out[3].kind, Kind::rejected);
    EXPECT_EQ(out[3].message, "many.zip: more than 3 members; the rest not read");
}

TEST_F(ArchiveTest, CrcErrorRejectsTheMemberOnly) {
    const Bytes payload = probe(1700000000, "running", 3000);
    Bytes zip = test::make_stored_zip(
        {{"a.fit", probe(1699990000)}, {"b.fit", payload}, {"c.fit", probe(1)}});
    // Damage b.fit's stored bytes (found by its padding) without touching headers.
    const auto it = std::search(zip.begin(), zip.end(), payload.begin() + 40, payload.begin() + 60);
    ASSERT_NE(it, zip.end());
    it[5] ^= 0xff;
    const auto out = decode(zip, "crc.zip");
    ASSERT_EQ(out.size(), 3U);
    EXPECT_EQ(out[0].kind, Kind::read);
    EXPECT_EQ(out[1].kind, Kind::rejected);
    EXPECT_NE(out[1].message.find("crc.zip!b.fit: "), std::string::npos) << out[1].message;
    EXPECT_NE(out[1].message.find("CRC"), std::string::npos) << out[1].message;
    EXPECT_EQ(out[2].kind, Kind::read) << out[2].message;
}

// Issue 16 item 10: a stored member with a data descriptor whose CRC is
// wrong. Reading forward, libarchive ends such a member only at a descriptor
// with the right CRC, so it read to the end of the file ("Truncated ZIP file
// data") and lost every member after it.
class BadDescriptorTest : public ArchiveTest {
protected:
    const Bytes m_bad = probe(1700000000, "running", 5000);
    /// a.fit, bad.fit (descriptor CRC flipped; with `central` also in the
    /// central directory), c.fit, all stored with data descriptors.
    Bytes zip(bool central) const {
        Bytes z = test::make_stored_zip({{"a.fit", probe(1699990000, "running", 3000)},
                                         {"bad.fit", m_bad},
                                         {"c.fit", probe(1700010000, "running", 4000)}},
                                        true);
        test::corrupt_descriptor_crc(z, m_bad, central);
        return z;
    }
    std::vector<InputOutcome> scan_file(const Bytes& bytes, unsigned jobs,
                                        const ArchiveLimits& limits = {}) {
        const auto path = m_dir.path / "dd.zip";
        std::ofstream(path, std::ios::binary)
            .write(reinterpret_cast<const char*>(bytes.data()),
                   static_cast<std::streamsize>(bytes.size()));
        ScanOptions options;
        options.jobs = jobs;
        options.dedupe = false;
        options.limits = limits;
        return scan_inputs(m_registry, {path.string()}, options);
    }
    test::TempDir m_dir;
};

TEST_F(BadDescriptorTest, IntactZipWithDescriptorsIsReadForward) {
    Bytes z = test::make_stored_zip({{"a.fit", probe(1)}, {"bad.fit", m_bad}}, true);
    const auto out = decode(z, "ok.zip");
    ASSERT_EQ(out.size(), 2U);
    EXPECT_EQ(out[1].kind, Kind::read) << out[1].message;
    EXPECT_EQ(out[1].activities.at(0).records, m_bad.size());
    EXPECT_TRUE(out[1].warnings.empty());
}

TEST_F(BadDescriptorTest, ReadingForwardNamesTheMemberAndTheCause) {
    // A zip that is not a file on disk (a member of another zip, a FIFO)
    // can only be read forward: the members after the bad one are lost,
    // but the messages say which member and why.
    for (const unsigned jobs : {1U, 2U}) {
        SCOPED_TRACE(jobs);
        const auto out = decode(zip(false), "dd.zip", jobs);
        ASSERT_EQ(out.size(), 3U);
        EXPECT_EQ(out[0].kind, Kind::read);
        EXPECT_EQ(out[1].source, "dd.zip!bad.fit");
        EXPECT_EQ(out[1].kind, Kind::rejected);
        EXPECT_EQ(out[1].message.find("dd.zip!bad.fit: stored member whose data descriptor is "
                                      "missing or does not match its data (CRC): its end cannot "
                                      "be found reading forward"),
                  0U)
            << out[1].message;
        EXPECT_EQ(out[1].message.find("Truncated"), std::string::npos) << out[1].message;
        EXPECT_EQ(out[2].source, "dd.zip");
        EXPECT_EQ(out[2].kind, Kind::rejected);
        EXPECT_NE(out[2].message.find("the members after member 2 (bad.fit) cannot be found "
                                      "reading forward"),
                  std::string::npos)
            << out[2].message;
    }
}

TEST_F(BadDescriptorTest, ZipFileIsReadAgainThroughItsCentralDirectory) {
    // Only the descriptor is wrong: the data matches the central directory,
    // so the member is read, with a warning, and so is the one after it.
    for (const unsigned jobs : {1U, 2U}) {
        SCOPED_TRACE(jobs);
        const auto out = scan_file(zip(false), jobs);
        ASSERT_EQ(out.size(), 3U);
        const std::string base = (m_dir.path / "dd.zip").string() + "!";
        EXPECT_EQ(out[0].source, base + "a.fit");
        EXPECT_EQ(out[0].kind, Kind::read);
        EXPECT_EQ(out[1].source, base + "bad.fit");
        EXPECT_EQ(out[1].kind, Kind::read) << out[1].message;
        EXPECT_EQ(out[1].activities.at(0).records, m_bad.size());
        ASSERT_EQ(out[1].warnings.size(), 1U);
        EXPECT_EQ(out[1].warnings[0].find("stored member whose data descriptor does not match "
                                          "its data (CRC): read with the size and CRC of the "
                                          "zip's central directory"),
                  0U)
            << out[1].warnings[0];
        EXPECT_EQ(out[2].source, base + "c.fit");
        EXPECT_EQ(out[2].kind, Kind::read) << out[2].message;
        EXPECT_EQ(out[2].activities.at(0).start_utc, 1700010000);
    }
}

TEST_F(BadDescriptorTest, MemberMatchingNoCrcIsSkippedByNameAndTheRestRead) {
    for (const unsigned jobs : {1U, 2U}) {
        SCOPED_TRACE(jobs);
        const auto out = scan_file(zip(true), jobs);
        ASSERT_EQ(out.size(), 3U);
        const std::string base = (m_dir.path / "dd.zip").string() + "!";
        EXPECT_EQ(out[0].kind, Kind::read);
        EXPECT_EQ(out[1].source, base + "bad.fit");
        EXPECT_EQ(out[1].kind, Kind::rejected);
        EXPECT_EQ(out[1].message.find(base + "bad.fit: stored member with a data descriptor "
                                             "whose CRC does not match its data; skipped (ZIP "
                                             "bad CRC"),
                  0U)
            << out[1].message;
        EXPECT_EQ(out[2].source, base + "c.fit");
        EXPECT_EQ(out[2].kind, Kind::read) << out[2].message;
    }
}

TEST_F(BadDescriptorTest, ZipInsideAZipFileIsReadForwardOnly) {
    const Bytes outer = test::make_stored_zip({{"inner.zip", zip(true)}, {"d.fit", probe(5)}});
    const auto out = scan_file(outer, 1);
    const std::string base = (m_dir.path / "dd.zip").string() + "!";
    ASSERT_EQ(out.size(), 4U);
    EXPECT_EQ(out[0].source, base + "inner.zip!a.fit");
    EXPECT_EQ(out[0].kind, Kind::read);
    EXPECT_EQ(out[1].source, base + "inner.zip!bad.fit");
    EXPECT_NE(out[1].message.find("its end cannot be found reading forward"), std::string::npos)
        << out[1].message;
    EXPECT_EQ(out[2].source, base + "inner.zip");
    EXPECT_NE(out[2].message.find("(bad.fit) cannot be found reading forward"), std::string::npos)
        << out[2].message;
    EXPECT_EQ(out[3].source, base + "d.fit");
    EXPECT_EQ(out[3].kind, Kind::read);
}

TEST_F(BadDescriptorTest, CentralDirectoryListingFewerMembersIsNotTrusted) {
    // The central directory lists a.fit alone where the local headers hold
    // three members: the members read forward stay, nothing is read twice,
    // and the zip is reported broken after bad.fit.
    auto le32 = [](const Bytes& b, std::size_t at) {
        return static_cast<std::size_t>(b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) |
                                        (b[at + 3] << 24));
    };
    Bytes z = zip(false);
    const std::size_t central = le32(z, z.size() - 22 + 16);
    const Bytes one = test::make_stored_zip({{"a.fit", probe(1699990000, "running", 3000)}}, true);
    z.resize(central);
    z.insert(z.end(), one.begin() + static_cast<std::ptrdiff_t>(le32(one, one.size() - 22 + 16)),
             one.end());
    for (int i = 0; i < 4; ++i) {
        z[z.size() - 22 + 16 + static_cast<std::size_t>(i)] =
            static_cast<std::uint8_t>(central >> (8 * i));
    }
    const auto out = scan_file(z, 1);
    ASSERT_EQ(out.size(), 3U);
    EXPECT_EQ(out[0].kind, Kind::read);
    EXPECT_EQ(out[1].kind, Kind::rejected);
    EXPECT_EQ(out[2].source, (m_dir.path / "dd.zip").string());
    EXPECT_EQ(out[2].kind, Kind::rejected);
    EXPECT_NE(out[2].message.find("its central directory lists fewer members than were read"),
              std::string::npos)
        << out[2].message;
}

TEST_F(BadDescriptorTest, MemberLimitHoldsForTheCentralDirectory) {
    ArchiveLimits limits;
    limits.max_members = 2;
    const auto out = scan_file(zip(true), 1, limits);
    ASSERT_EQ(out.size(), 3U);
    EXPECT_EQ(out[0].kind, Kind::read);
    EXPECT_EQ(out[1].kind, Kind::rejected);
    EXPECT_EQ(out[2].source, (m_dir.path / "dd.zip").string());
    EXPECT_NE(out[2].message.find("(bad.fit) cannot be found reading forward"), std::string::npos)
        << out[2].message;
    EXPECT_NE(out[2].message.find("; not read again through its central directory: it lists "
                                  "more than 2 members"),
              std::string::npos)
        << out[2].message;
}

TEST_F(BadDescriptorTest, TruncatedZipFileKeepsTheMembersBeforeTheCut) {
    // Cut inside c.fit's data, so no central directory to fall back on:
    // as when reading forward only.
    Bytes z = zip(false);
    z.resize(z.size() * 3 / 4);
    const auto out = scan_file(z, 2);
    ASSERT_EQ(out.size(), 3U);
    EXPECT_EQ(out[0].kind, Kind::read);
    EXPECT_EQ(out[1].kind, Kind::rejected);
    EXPECT_EQ(out[2].kind, Kind::rejected);
    EXPECT_NE(out[2].message.find("cannot be found reading forward"), std::string::npos)
        << out[2].message;
    EXPECT_NE(out[2].message.find("; not read again through its central directory: none found"),
              std::string::npos)
        << out[2].message;
}

TEST_F(ArchiveTest, TruncatedZipKeepsTheMembersBeforeTheCut) {
    Bytes zip = test::make_stored_zip({{"a.fit", probe(1699990000, "running", 20000)},
                                       {"b.fit", probe(1700000000, "running", 20000)},
                                       {"c.fit", probe(1700010000, "running", 20000)}});
    zip.resize(zip.size() * 3 / 4); // inside c.fit's data
    const auto out = decode(zip, "cut.zip");
    ASSERT_GE(out.size(), 3U);
    EXPECT_EQ(out[0].kind, Kind::read);
    EXPECT_EQ(out[1].kind, Kind::read);
    EXPECT_EQ(out[2].source, "cut.zip!c.fit");
    EXPECT_EQ(out[2].kind, Kind::rejected);
    EXPECT_NE(out[2].message.find("cut.zip!c.fit: "), std::string::npos) << out[2].message;
}

TEST_F(ArchiveTest, GarbageAfterZipMagicIsRejected) {
    Bytes junk = to_bytes("PK\x03\x04");
    junk.resize(200, 0xee);
    const auto out = decode(junk, "fake.zip");
    ASSERT_EQ(out.size(), 1U);
    EXPECT_EQ(out[0].kind, Kind::rejected);
    EXPECT_EQ(out[0].source, "fake.zip");
    EXPECT_NE(out[0].message.find("fake.zip: "), std::string::npos) << out[0].message;
}

TEST_F(ArchiveTest, EmptyZipIsSkipped) {
    const Bytes zip = make_zip({});
    ASSERT_GE(zip.size(), 4U);
    const auto out = decode(zip, "empty.zip");
    ASSERT_EQ(out.size(), 1U);
    EXPECT_EQ(out[0].kind, Kind::skipped);
    EXPECT_EQ(out[0].message, "empty zip archive");
}

TEST_F(ArchiveTest, EncryptedMembersAreRejected) {
    Bytes zip;
    try {
        zip = make_zip({{"secret.fit", probe(1700000000)}}, "zip:encryption=zipcrypt", "pw");
    } catch (const std::exception& e) {
        GTEST_SKIP() << "libarchive here cannot write encrypted zips: " << e.what();
    }
    const auto out = decode(zip, "locked.zip");
    ASSERT_EQ(out.size(), 1U);
    EXPECT_EQ(out[0].kind, Kind::rejected);
    EXPECT_EQ(out[0].message, "encrypted member: not read");
}

// Strava bulk export (spec 4.1): activities.csv names the files; its
// Activity Type overrides the file's sport, an unknown type keeps it.
const char* const strava_csv =
    "Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Elapsed Time,"
    "Distance,Filename,Elapsed Time,Distance\r\n"
    "11,\"Sep 12, 2018, 3:02:23 PM\",Morning Trail,Trail Run,\"line one\r\nline \"\"two\"\", "
    "with comma\",3600,10.0,activities/11.fit.gz,3600.0,10000.0\r\n"
    "12,\"Sep 13, 2018, 3:02:23 PM\",Lunch "
    "Ride,Ride,,3600,20.0,activities/12.gpx,3600.0,20000.0\r\n"
    "13,\"Sep 14, 2018, 3:02:23 PM\",Manual,Run,,3600,5.0,,3600.0,5000.0\r\n"
    "14,\"Sep 15, 2018, 3:02:23 PM\",Odd one,Kitesurf,,600,1.0,activities/14.tcx,600.0,1000.0\r\n";

std::vector<test::ZipMember> strava_members() {
    return {{"activities.csv", to_bytes(strava_csv)},
            {"profile.csv", to_bytes("Athlete ID,Email\n1,a@b\n")},
            {"activities/11.fit.gz", make_gzip(probe(1536764543, "running", 100))},
            {"activities/12.gpx", probe(1536850943, "running", 100)},
            {"activities/14.tcx", probe(1536937343, "walking", 100)},
            {"media/1.jpg", Bytes{0xff, 0xd8, 0xff, 0xe0}}};
}

void expect_strava_applied(const std::vector<InputOutcome>& out, const std::string& base) {
    const auto* a = find(out, base + "activities/11.fit.gz");
    ASSERT_NE(a, nullptr);
    ASSERT_EQ(a->activities.size(), 1U);
    EXPECT_EQ(a->activities[0].name, "Morning Trail");
    EXPECT_EQ(a->activities[0].sport, Sport::trail_running);
    const auto* b = find(out, base + "activities/12.gpx");
    ASSERT_NE(b, nullptr);
    EXPECT_EQ(b->activities.at(0).name, "Lunch Ride");
    EXPECT_EQ(b->activities.at(0).sport, Sport::cycling);
    const auto* c = find(out, base + "activities/14.tcx");
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->activities.at(0).name, "Odd one");
    EXPECT_EQ(c->activities.at(0).sport, Sport::walking);
    const auto* index = find(out, base + "activities.csv");
    ASSERT_NE(index, nullptr);
    EXPECT_EQ(index->kind, Kind::skipped);
    EXPECT_EQ(index->message,
              "Strava activity index (3 entries, applied to this export's activities)");
}

TEST_F(ArchiveTest, StravaExportZipGetsNamesAndSports) {
    const Bytes zip = make_zip(strava_members());
    for (const unsigned jobs : {1U, 2U}) {
        SCOPED_TRACE(jobs);
        const auto out = decode(zip, "export_1.zip", jobs);
        EXPECT_EQ(out.size(), 6U);
        expect_strava_applied(out, "export_1.zip!");
    }
}

TEST_F(ArchiveTest, StravaExportFolderGetsNamesAndSports) {
    const auto dir =
        std::filesystem::temp_directory_path() /
        ("us_strava_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
    std::filesystem::remove_all(dir);
    for (const auto& m : strava_members()) {
        std::filesystem::create_directories((dir / m.name).parent_path());
        std::ofstream(dir / m.name, std::ios::binary)
            .write(reinterpret_cast<const char*>(m.bytes.data()),
                   static_cast<std::streamsize>(m.bytes.size()));
    }
    ScanOptions options;
    options.jobs = 2;
    const auto out = scan_inputs(m_registry, {dir.string()}, options);
    expect_strava_applied(out, dir.string() + "/");
    std::filesystem::remove_all(dir);
}

TEST_F(ArchiveTest, UnknownActivitiesCsvKeepsTheFilesOwnSport) {
    const Bytes zip =
        make_zip({{"activities.csv", to_bytes("Id,Datum,Typ,Datei\n1,x,Lauf,activities/1.fit\n")},
                  {"activities/1.fit", probe(1700000000, "walking")}});
    const auto out = decode(zip, "other.zip");
    ASSERT_EQ(out.size(), 2U);
    EXPECT_EQ(out[0].kind, Kind::skipped);
    EXPECT_EQ(out[0].message, "not an export index: no Filename column in the header; the "
                              "files' own names and sports are kept");
    EXPECT_EQ(out[1].activities.at(0).sport, Sport::walking);
}

TEST_F(ArchiveTest, GarminExportNestedZipsGetNamesByStartTime) {
    const std::string summaries =
        R"([{"summarizedActivitiesExport":[)"
        R"({"activityId":1,"name":"Hill repeats","activityType":"trail_running","startTimeGmt":1700000002000.0,"distance":1000000.0},)"
        R"({"activityId":2,"name":"Tri","activityType":"multi_sport","parent":true,"startTimeGmt":1700100000000},)"
        R"({"activityId":3,"name":"Far away","activityType":"running","startTimeGmt":1700200000000}]}])";
    const Bytes uploads = make_zip(
        {{"a@b.c_1.fit", probe(1700000000)}, {"a@b.c_2.fit", probe(1700100000, "cycling")}});
    const Bytes zip = make_zip(
        {{"DI_CONNECT/DI-Connect-Fitness/a@b.c_0_summarizedActivities.json", to_bytes(summaries)},
         {"DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip", uploads},
         {"DI_CONNECT/DI-Connect-Wellness/sleep.json", to_bytes("[]")},
         {"DI_CONNECT/DI-Connect-User/user_profile.json", to_bytes("{}")}});
    const auto out = decode(zip, "garmin.zip", 2);
    ASSERT_EQ(out.size(), 5U);
    const std::string up =
        "garmin.zip!DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip!";
    const auto* first = find(out, up + "a@b.c_1.fit");
    ASSERT_NE(first, nullptr);
    EXPECT_EQ(first->activities.at(0).name, "Hill repeats");
    EXPECT_EQ(first->activities.at(0).sport, Sport::trail_running);
    const auto* second = find(out, up + "a@b.c_2.fit");
    ASSERT_NE(second, nullptr);
    EXPECT_EQ(second->activities.at(0).name, ""); // the multisport parent is not a match
    EXPECT_EQ(second->activities.at(0).sport, Sport::cycling);
    EXPECT_EQ(find(out, "garmin.zip!DI_CONNECT/DI-Connect-Wellness/sleep.json")->message,
              "Garmin export: DI-Connect-Wellness holds no activities");
}

TEST_F(ArchiveTest, ScanListsAnActivityFoundTwiceOnce) {
    const auto dir =
        std::filesystem::temp_directory_path() /
        ("us_dup_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const Bytes gz = make_gzip(probe(1700000000, "running", 500));
    const Bytes zip = make_zip({{"again.fit", probe(1700000030, "running", 900)}});
    std::ofstream(dir / "a.fit.gz", std::ios::binary)
        .write(reinterpret_cast<const char*>(gz.data()), static_cast<std::streamsize>(gz.size()));
    std::ofstream(dir / "b.zip", std::ios::binary)
        .write(reinterpret_cast<const char*>(zip.data()), static_cast<std::streamsize>(zip.size()));
    ScanOptions options;
    options.jobs = 1;
    const auto out = scan_inputs(m_registry, {dir.string()}, options);
    ASSERT_EQ(out.size(), 2U);
    // Same format, so the one with more records (b.zip's) is kept.
    EXPECT_EQ(out[0].kind, Kind::duplicate);
    ASSERT_EQ(out[0].duplicates.size(), 1U);
    EXPECT_EQ(out[0].duplicates[0].duplicate_of, (dir / "b.zip").string() + "!again.fit");
    EXPECT_EQ(out[1].kind, Kind::read);
    EXPECT_EQ(out[1].activities.size(), 1U);
    std::filesystem::remove_all(dir);
}

} // namespace
} // namespace ultrastrength
