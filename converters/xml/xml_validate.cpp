#include "converters/xml/xml_validate.hpp"

#include "converters/reader.hpp"
#include "converters/stream.hpp"
#include "converters/xml/xml_sax.hpp"

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlschemas.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <stdexcept>
#include <string_view>
#include <vector>

namespace ultrastrength {

namespace {

struct SchemaFile {
    std::string_view file; ///< in the schemas folder
    bool optional;         ///< an extension schema: without it, extension content is skipped (lax)
    std::string_view ns;   ///< its target namespace
    std::string_view published; ///< where the XSD is published (mapped to the local file)
};

constexpr SchemaFile tcd_v2{"TrainingCenterDatabasev2.xsd", false,
                            "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2",
                            "http://www.garmin.com/xmlschemas/TrainingCenterDatabasev2.xsd"};
constexpr SchemaFile ax_v2{"ActivityExtensionv2.xsd", true,
                           "http://www.garmin.com/xmlschemas/ActivityExtension/v2",
                           "http://www.garmin.com/xmlschemas/ActivityExtensionv2.xsd"};
constexpr SchemaFile gpx11{"gpx11.xsd", false, "http://www.topografix.com/GPX/1/1",
                           "http://www.topografix.com/GPX/1/1/gpx.xsd"};
constexpr SchemaFile gpx10{"gpx10.xsd", false, "http://www.topografix.com/GPX/1/0",
                           "http://www.topografix.com/GPX/1/0/gpx.xsd"};
constexpr SchemaFile tpx_v1{"TrackPointExtensionv1.xsd", true,
                            "http://www.garmin.com/xmlschemas/TrackPointExtension/v1",
                            "http://www.garmin.com/xmlschemas/TrackPointExtensionv1.xsd"};
constexpr SchemaFile tpx_v2{"TrackPointExtensionv2.xsd", true,
                            "http://www.garmin.com/xmlschemas/TrackPointExtension/v2",
                            "http://www.garmin.com/xmlschemas/TrackPointExtensionv2.xsd"};
constexpr SchemaFile all_schemas[] = {tcd_v2, ax_v2, gpx11, gpx10, tpx_v1, tpx_v2};

// Problems past this many are counted, not listed: a broken export can
// have one per trackpoint.
constexpr std::size_t max_listed_problems = 200;

// The folder the entity loader may read from while schemas load.
std::string g_schemas_dir;
xmlExternalEntityLoader g_default_loader = nullptr;

// Published schema locations map to the local copies; local files inside
// the schemas folder load normally; anything else (network, other files) is
// refused, so validation never leaves the machine or the folder.
xmlParserInputPtr offline_loader(const char* url, const char* id, xmlParserCtxtPtr ctxt) {
    const std::string_view u = url == nullptr ? std::string_view{} : std::string_view(url);
    for (const SchemaFile& s : all_schemas) {
        if (u == s.published) {
            const std::string local = g_schemas_dir + "/" + std::string(s.file);
            return g_default_loader(local.c_str(), id, ctxt);
        }
    }
    std::string_view path = u;
    if (path.substr(0, 7) == "file://") {
        path.remove_prefix(7);
    }
    if (!g_schemas_dir.empty() && path.substr(0, g_schemas_dir.size() + 1) == g_schemas_dir + "/") {
        return g_default_loader(url, id, ctxt);
    }
    return nullptr;
}

class LoaderScope {
public:
    explicit LoaderScope(const std::string& dir) {
        g_schemas_dir = dir;
        g_default_loader = xmlGetExternalEntityLoader();
        xmlSetExternalEntityLoader(&offline_loader);
    }
    ~LoaderScope() { xmlSetExternalEntityLoader(g_default_loader); }
    LoaderScope(const LoaderScope&) = delete;
    LoaderScope& operator=(const LoaderScope&) = delete;
};

void collect(void* user, xmlErrorPtr error) {
    auto& report = *static_cast<ValidationReport*>(user);
    if (error == nullptr || error->level == XML_ERR_WARNING) {
        return;
    }
    ValidationProblem p;
    if (error->line > 0) {
        p.line = static_cast<std::uint64_t>(error->line);
    }
    p.message = error->message == nullptr ? "invalid" : error->message;
    while (!p.message.empty() && (p.message.back() == '\n' || p.message.back() == ' ')) {
        p.message.pop_back();
    }
    report.problems.push_back(std::move(p));
}

void collect_schema_error(void* user, xmlErrorPtr error) {
    if (error != nullptr && error->level != XML_ERR_WARNING) {
        auto& messages = *static_cast<std::string*>(user);
        if (messages.empty() && error->message != nullptr) {
            messages = error->message;
        }
    }
}

struct SchemaDeleter {
    void operator()(xmlSchemaPtr s) const noexcept { xmlSchemaFree(s); }
};
using SchemaPtr = std::unique_ptr<xmlSchema, SchemaDeleter>;

/// A schema made of `parts`, imported by one in-memory wrapper so that lax
/// extension content (TPX, TrackPointExtension) is checked too.
xmlSchemaPtr load_schema_set(const std::vector<SchemaFile>& parts, const std::string& dir) {
    // Callers pass only parts that exist (see present_parts()).
    static std::map<std::string, SchemaPtr> cache;
    std::string key = dir;
    for (const SchemaFile& s : parts) {
        key += '|';
        key += s.file;
    }
    if (auto it = cache.find(key); it != cache.end()) {
        return it->second.get();
    }
    std::string wrapper =
        R"(<?xml version="1.0"?>)"
        R"(<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:ultrastrength:validate">)";
    for (const SchemaFile& s : parts) {
        const std::string path = dir + "/" + std::string(s.file);
        wrapper += R"(<xsd:import namespace=")" + std::string(s.ns) + R"(" schemaLocation=")" +
                   path + R"("/>)";
    }
    wrapper += "</xsd:schema>";

    const LoaderScope offline(dir);
    xmlSchemaParserCtxtPtr parser =
        xmlSchemaNewMemParserCtxt(wrapper.data(), static_cast<int>(wrapper.size()));
    std::string error;
    xmlSchemaSetParserStructuredErrors(parser, &collect_schema_error, &error);
    xmlSchemaPtr schema = xmlSchemaParse(parser);
    xmlSchemaFreeParserCtxt(parser);
    if (schema == nullptr || !error.empty()) {
        if (schema != nullptr) {
            xmlSchemaFree(schema);
        }
        throw std::runtime_error("schemas in " + dir + " do not load: " + error);
    }
    cache.emplace(key, SchemaPtr(schema));
    return schema;
}

/// The parts installed in `dir`; a missing required one is an error naming it.
std::vector<SchemaFile> present_parts(const std::vector<SchemaFile>& parts,
                                      const std::string& dir) {
    std::vector<SchemaFile> present;
    for (const SchemaFile& s : parts) {
        const std::string path = dir + "/" + std::string(s.file);
        if (std::filesystem::exists(path)) {
            present.push_back(s);
        } else if (!s.optional) {
            throw std::runtime_error("cannot validate: schema " + path +
                                     " is not installed (see schemas/SOURCES.md; "
                                     "ULTRASTRENGTH_SCHEMAS names another folder)");
        }
    }
    return present;
}

/// libxml2's unstructured messages ("Unimplemented block at xmlschemas.c:N"
/// when the schema validator meets a construct it cannot check), which it
/// would otherwise print to stderr: kept for the report, while validating.
class GenericErrors {
public:
    GenericErrors() { xmlSetGenericErrorFunc(this, &GenericErrors::on_message); }
    ~GenericErrors() { xmlSetGenericErrorFunc(nullptr, nullptr); } // libxml2's default again
    GenericErrors(const GenericErrors&) = delete;
    GenericErrors& operator=(const GenericErrors&) = delete;

    /// The first message, whole lines trimmed.
    std::string first() const {
        std::string text = m_text.substr(0, m_text.find('\n'));
        while (!text.empty() && text.back() == ' ') {
            text.pop_back();
        }
        return text;
    }

private:
    __attribute__((format(printf, 2, 3))) static void on_message(void* context, const char* format,
                                                                 ...) {
        auto& self = *static_cast<GenericErrors*>(context);
        if (self.m_text.size() > 4096) {
            return;
        }
        char piece[1024];
        va_list args;
        va_start(args, format);
        std::vsnprintf(piece, sizeof piece, format, args);
        va_end(args);
        self.m_text += piece;
    }
    std::string m_text;
};

int read_stream(void* context, char* buffer, int length) {
    try {
        return static_cast<int>(static_cast<ByteStream*>(context)->read(
            reinterpret_cast<std::uint8_t*>(buffer), static_cast<std::size_t>(length)));
    } catch (const std::exception&) {
        return -1;
    }
}

int close_stream(void* /*context*/) {
    return 0;
}

} // namespace

ValidationReport validate_tcx_gpx(const std::string& path, std::span<const std::uint8_t> head,
                                  const std::string& schemas_dir) {
    std::vector<SchemaFile> parts;
    const std::string text = detail::xml_head_text(head); // UTF-16 seen through
    if (detail::identify_xml_root(head, "TrainingCenterDatabase") > 0) {
        parts = {tcd_v2, ax_v2};
    } else if (text.find(gpx10.ns) != std::string::npos) {
        parts = {gpx10};
    } else {
        parts = {gpx11, tpx_v1, tpx_v2};
    }
    parts = present_parts(parts, schemas_dir);
    ValidationReport report;
    for (const SchemaFile& s : parts) {
        report.checked_against +=
            (report.checked_against.empty() ? "" : " + ") + std::string(s.file);
    }
    xmlSchemaPtr schema = load_schema_set(parts, schemas_dir);

    FileStream file(path);
    const LoaderScope offline(schemas_dir);
    const GenericErrors generic;
    // NONET, and no DTD loading or entity substitution: the instance can
    // make the validator read nothing but itself.
    xmlTextReaderPtr reader =
        xmlReaderForIO(&read_stream, &close_stream, &file, path.c_str(), nullptr, XML_PARSE_NONET);
    if (reader == nullptr) {
        throw std::runtime_error(path + ": cannot create an XML reader");
    }
    xmlSchemaValidCtxtPtr valid = xmlSchemaNewValidCtxt(schema);
    xmlSchemaSetValidStructuredErrors(valid, &collect, &report);
    xmlTextReaderSetStructuredErrorHandler(reader, &collect, &report);
    xmlTextReaderSchemaValidateCtxt(reader, valid, 0);
    xmlResetLastError();
    int rc = 0;
    while ((rc = xmlTextReaderRead(reader)) == 1) {
        if (report.problems.size() > max_listed_problems) {
            break;
        }
    }
    if (rc < 0) {
        // A well-formedness error ends the read; with a schema attached,
        // libxml2 does not always pass it to the handler, so it is taken
        // from the parser's last error: the line and reason, as `scan` gives.
        const xmlError* last = xmlGetLastError();
        ValidationProblem p;
        p.message = "not well-formed XML";
        if (last != nullptr && last->domain == XML_FROM_PARSER && last->message != nullptr) {
            std::string reason = last->message;
            while (!reason.empty() && (reason.back() == '\n' || reason.back() == ' ')) {
                reason.pop_back();
            }
            p.message += ": " + reason;
            if (last->line > 0) {
                p.line = static_cast<std::uint64_t>(last->line);
            }
        }
        const bool listed = std::any_of(
            report.problems.begin(), report.problems.end(), [&](const ValidationProblem& q) {
                return q.line == p.line && p.message.find(q.message) != std::string::npos;
            });
        if (!listed) {
            report.problems.push_back(std::move(p));
        }
    }
    if (const std::string message = generic.first(); !message.empty()) {
        // The validator stopped checking part of the document: not valid.
        report.problems.push_back(
            {std::nullopt, std::nullopt,
             "not fully checked: the XML Schema validator does not support a construct in this "
             "document (libxml2: " +
                 message + ")"});
    }
    if (report.problems.size() > max_listed_problems) {
        report.problems.resize(max_listed_problems);
        report.problems.push_back(
            {std::nullopt, std::nullopt,
             "more than " + std::to_string(max_listed_problems) + " problems; stopped"});
    }
    xmlFreeTextReader(reader);
    xmlSchemaFreeValidCtxt(valid);
    return report;
}

} // namespace ultrastrength
