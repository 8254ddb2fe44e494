#include "cli/command_formats.hpp"

#include "converters/reader.hpp"
#include "plugins/writer.hpp"

#include <nlohmann/json.hpp>

#include <iostream>

namespace ultrastrength::cli {

void CommandFormats::add_options(po::options_description& options,
                                 po::positional_options_description& /*positional*/) {
    options.add_options()("json", po::bool_switch(&m_json), "machine-readable output");
}

void CommandFormats::apply(const po::variables_map& /*vm*/) {}

int CommandFormats::run() {
    ReaderRegistry readers;
    register_all(readers);
    WriterRegistry writers;
    register_all_writers(writers);
    // Containers are unpacked before any reader sees their members.
    static constexpr std::pair<const char*, const char*> containers[] = {
        {"gz", "gzip-compressed file (one member), any format inside"},
        {"zip", "zip archive, nested zips included (Garmin and Strava bulk exports)"},
    };

    if (m_json) {
        nlohmann::ordered_json doc;
        doc["readers"] = nlohmann::ordered_json::array();
        for (const auto& reader : readers.readers()) {
            doc["readers"].push_back({{"name", reader->name()},
                                      {"extensions", reader->extensions()},
                                      {"description", reader->description()}});
        }
        doc["containers"] = nlohmann::ordered_json::array();
        for (const auto& [name, description] : containers) {
            doc["containers"].push_back({{"name", name}, {"description", description}});
        }
        doc["writers"] = nlohmann::ordered_json::array();
        for (const auto& writer : writers.writers()) {
            doc["writers"].push_back({{"name", writer->name()},
                                      {"extension", writer->extension()},
                                      {"description", writer->description()}});
        }
        std::cout << doc.dump(2) << '\n';
        return exit_ok;
    }

    std::cout << "Input formats (recognised by content):\n";
    for (const auto& reader : readers.readers()) {
        std::cout << "  " << reader->name() << "  " << reader->description() << '\n';
    }
    std::cout << "\nContainers:\n";
    for (const auto& [name, description] : containers) {
        std::cout << "  " << name << "  " << description << '\n';
    }
    std::cout << "\nOutput formats (plan --format NAME,...):\n";
    for (const auto& writer : writers.writers()) {
        std::cout << "  " << writer->name() << "  " << writer->description() << '\n';
    }
    return exit_ok;
}

} // namespace ultrastrength::cli
