// The corpus containers (.gz, .zip) against expected.json: member names and
// unpacked sizes, and what the registry makes of each member.
#include "converters/archive/gzip_stream.hpp"
#include "converters/archive/zip_archive.hpp"
#include "converters/reader.hpp"
#include "converters/scan.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <string>

namespace ultrastrength {
namespace {

const std::string corpus = US_CORPUS_DIR;

const nlohmann::json& expected() {
    static const nlohmann::json doc = [] {
        std::ifstream in(corpus + "/expected.json");
        return nlohmann::json::parse(in);
    }();
    return doc;
}

std::vector<std::string> container_files() {
    std::vector<std::string> files;
    for (const auto& [name, entry] : expected()["files"].items()) {
        if (entry.contains("container")) {
            files.push_back(name);
        }
    }
    return files;
}

std::uint64_t drain(ByteStream& in, std::vector<std::uint8_t>& head) {
    std::vector<std::uint8_t> buf(65536);
    std::uint64_t total = 0;
    for (std::size_t n; (n = in.read(buf.data(), buf.size())) > 0;) {
        if (head.size() < 64) {
            head.insert(head.end(), buf.begin(),
                        buf.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(n, 64)));
        }
        total += n;
    }
    return total;
}

TEST(CorpusContainers, AllAreListed) {
    EXPECT_EQ(container_files().size(), 4U);
}

TEST(CorpusContainers, MembersUnpackToTheExpectedNamesAndSizes) {
    ReaderRegistry registry;
    register_all(registry);
    ArchiveLimits limits;
    for (const auto& file : container_files()) {
        SCOPED_TRACE(file);
        const auto& entry = expected()["files"][file];
        const auto& members = entry["members"];
        FileStream in(corpus + "/" + file);
        ExpansionBudget budget(limits.max_expanded_bytes);
        if (entry["container"] == "gzip") {
            ASSERT_EQ(members.size(), 1U);
            GzipStream gz(in, file, limits, budget);
            std::vector<std::uint8_t> head;
            EXPECT_EQ(drain(gz, head), members[0]["bytes"].get<std::uint64_t>());
            const Reader* reader = registry.identify(head, members[0]["name"].get<std::string>());
            ASSERT_NE(reader, nullptr);
            EXPECT_EQ(reader->name(), members[0]["format"].get<std::string>());
            continue;
        }
        ZipArchive zip(in, file, limits, budget);
        ZipEntry zip_entry;
        std::size_t i = 0;
        while (zip.next(zip_entry)) {
            ASSERT_LT(i, members.size());
            EXPECT_EQ(zip_entry.name, members[i]["name"].get<std::string>());
            std::vector<std::uint8_t> head;
            EXPECT_EQ(drain(zip.member(), head), members[i]["bytes"].get<std::uint64_t>());
            const Reader* reader = registry.identify(head, zip_entry.name);
            ASSERT_NE(reader, nullptr);
            EXPECT_EQ(reader->name(), members[i]["format"].get<std::string>());
            ++i;
        }
        EXPECT_EQ(i, members.size());
    }
}

TEST(CorpusContainers, DecodeNamesMembersAfterTheirArchive) {
    ReaderRegistry registry;
    register_all(registry);
    for (const auto& file : container_files()) {
        SCOPED_TRACE(file);
        const auto& entry = expected()["files"][file];
        FileStream in(corpus + "/" + file);
        const auto outcomes = decode_input(registry, in, file);
        ASSERT_EQ(outcomes.size(), entry["members"].size());
        const std::string expected_source =
            entry["container"] == "gzip"
                ? file
                : file + "!" + entry["members"][0]["name"].get<std::string>();
        EXPECT_EQ(outcomes[0].source, expected_source);
    }
}

} // namespace
} // namespace ultrastrength
