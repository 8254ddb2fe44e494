// What a format validator reports (`ultrastrength validate`): every problem
// with its position, as "file:line: what was expected".
#ifndef ULTRASTRENGTH_CONVERTERS_VALIDATE_HPP
#define ULTRASTRENGTH_CONVERTERS_VALIDATE_HPP

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ultrastrength {

struct ValidationProblem {
    std::optional<std::uint64_t> line;        ///< XML formats
    std::optional<std::uint64_t> byte_offset; ///< binary formats
    std::string message;
};

struct ValidationReport {
    std::string checked_against; ///< e.g. "TrainingCenterDatabasev2.xsd + ActivityExtensionv2.xsd"
    std::vector<ValidationProblem> problems;
    bool valid() const noexcept { return problems.empty(); }
};

} // namespace ultrastrength

#endif
