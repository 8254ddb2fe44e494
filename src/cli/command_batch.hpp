#ifndef ULTRASTRENGTH_CLI_COMMAND_BATCH_HPP
#define ULTRASTRENGTH_CLI_COMMAND_BATCH_HPP

#include "cli/command.hpp"
#include "pipeline/plan_roster.hpp"

#include <optional>

namespace ultrastrength::cli {

/// `batch ROSTER.csv --out DIR`: one plan per athlete of a coach's roster,
/// roster-wide import files and a summary for the coach; `--shard K/N` plans
/// one slice of the roster and `batch merge` joins the slices' folders.
class CommandBatch final : public Command {
public:
    static constexpr std::string_view command_name = "batch";
    static constexpr std::string_view command_synopsis =
        "one plan per athlete of a coach's roster, plus roster-wide files and a summary";

    std::string_view name() const noexcept override { return command_name; }
    std::string_view synopsis() const noexcept override { return command_synopsis; }
    std::string usage() const override;
    std::string details() const override;
    int run() override;

protected:
    void add_options(po::options_description& options,
                     po::positional_options_description& positional) override;
    void apply(const po::variables_map& vm) override;

private:
    /// --json: the run as one document on stdout.
    void print_json(const pipeline::RosterOutcome& outcome) const;
    /// Prints the run's problems, counts and JSON; returns its exit code.
    int report(const pipeline::RosterOutcome& outcome) const;
    /// `batch merge --out DIR SHARD_DIR...`.
    int run_merge();

    std::string m_roster;
    std::string m_out;
    std::vector<std::string> m_shard_folders; ///< `batch merge`: the shards' folders
    bool m_merge = false;
    std::string m_shard; ///< --shard K/N
    std::optional<pipeline::RosterShard> m_shard_value;
    std::string m_formats;
    std::vector<std::string> m_format_list;
    std::string m_today;
    std::optional<std::int64_t> m_today_day;
    bool m_wait = false;
    std::string m_push;        ///< --push TARGET
    std::string m_push_config; ///< --push-config FILE
    int push_roster() const;
    CommonOptions m_common;
};

} // namespace ultrastrength::cli

#endif
