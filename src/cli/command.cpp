#include "cli/command.hpp"

#include "converters/reader.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>

namespace ultrastrength::cli {

po::options_description Command::common_options(CommonOptions& common) {
    po::options_description options("Common options");
    options.add_options()(
        "jobs,j", po::value<unsigned>(&common.jobs)->value_name("N")->default_value(0, "all cores"),
        "decode N files in parallel")("json", po::bool_switch(&common.json),
                                      "machine-readable output on stdout")(
        "quiet,q", po::bool_switch(&common.quiet),
        "no summary, notes or progress: the output asked for (table, plan, JSON, files) and "
        "problems only")("verbose,v", po::bool_switch(&common.verbose),
                         "print warnings for every input, and what the cache saved")(
        "cache", po::value(&common.cache)->value_name("FILE"),
        "SQLite cache of decoded inputs (default $XDG_CACHE_HOME/ultrastrength/"
        "features.sqlite): unchanged files are not decoded again")(
        "no-cache", po::bool_switch(&common.no_cache), "decode every input, use no cache");
    return options;
}

bool Command::setup(const std::vector<std::string>& args) {
    po::options_description options("Options");
    po::positional_options_description positional;
    add_options(options, positional);
    options.add_options()("help,h", "show this help");

    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(options).positional(positional).run(), vm);
        if (vm.count("help") != 0) {
            return false;
        }
        po::notify(vm);
    } catch (const po::error& e) {
        throw UsageError(e.what());
    }
    apply(vm);
    return true;
}

std::string Command::help() {
    po::options_description options("Options");
    po::positional_options_description positional;
    add_options(options, positional);
    options.add_options()("help,h", "show this help");

    // Positional arguments are described by the usage line, not as options.
    std::set<std::string> positional_names;
    for (unsigned i = 0; i < positional.max_total_count() && i < 16; ++i) {
        positional_names.insert(positional.name_for_position(i));
    }
    po::options_description visible("Options");
    for (const auto& option : options.options()) {
        if (positional_names.count(option->long_name()) == 0) {
            visible.add(option);
        }
    }

    std::ostringstream out;
    out << "Usage: " << usage() << "\n\n" << synopsis() << "\n\n" << visible;
    const std::string more = details();
    if (!more.empty()) {
        out << "\n" << more;
        if (more.back() != '\n') {
            out << '\n';
        }
    }
    return out.str();
}

std::string definition_list(const std::vector<std::pair<std::string, std::string>>& items,
                            std::size_t width) {
    std::size_t term = 0;
    for (const auto& item : items) {
        term = std::max(term, item.first.size());
    }
    const std::size_t indent = 2 + term + 2;
    std::string out;
    for (const auto& [name, description] : items) {
        std::string line = "  " + name + std::string(indent - 2 - name.size(), ' ');
        std::size_t used = indent;
        bool first = true;
        std::istringstream words(description);
        std::string word;
        while (words >> word) {
            if (!first && used + 1 + word.size() > width) {
                out += line + '\n';
                line = std::string(indent, ' ');
                used = indent;
                first = true;
            }
            if (!first) {
                line += ' ';
                ++used;
            }
            line += word;
            used += word.size();
            first = false;
        }
        out += line + '\n';
    }
    return out;
}

std::string reader_names(std::string_view separator, std::string_view last_separator,
                         bool by_rank) {
    std::vector<const Reader*> readers;
    for (const auto& reader : default_readers().readers()) {
        readers.push_back(reader.get());
    }
    if (by_rank) {
        std::stable_sort(readers.begin(), readers.end(), [](const Reader* a, const Reader* b) {
            return a->format() < b->format();
        });
    }
    std::string out;
    for (std::size_t i = 0; i < readers.size(); ++i) {
        if (i > 0) {
            out += i + 1 == readers.size() ? last_separator : separator;
        }
        for (const char c : readers[i]->name()) {
            out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        }
    }
    return out;
}

} // namespace ultrastrength::cli
