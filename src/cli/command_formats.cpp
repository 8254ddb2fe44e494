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
    const ReaderRegistry& readers = default_readers();
    const WriterRegistry& writers = default_writers();
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

    std::vector<std::pair<std::string, std::string>> items;
    for (const auto& reader : readers.readers()) {
        items.emplace_back(reader->name(), reader->description());
    }
    std::cout << "Input formats (recognised by content):\n" << definition_list(items);
    items.clear();
    for (const auto& [name, description] : containers) {
        items.emplace_back(name, description);
    }
    std::cout << "\nContainers:\n" << definition_list(items);
    items.clear();
    for (const auto& writer : writers.writers()) {
        items.emplace_back(writer->name(), writer->description());
    }
    std::cout << "\nOutput formats (plan --format NAME,...):\n" << definition_list(items);
    return exit_ok;
}

} // namespace ultrastrength::cli
