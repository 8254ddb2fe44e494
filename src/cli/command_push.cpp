#include "cli/command_push.hpp"

#include "push/credentials.hpp"

#include <ctime>
#include <iostream>

namespace ultrastrength::cli {

namespace {

bool is_target(const std::string& name) {
    for (const auto& target : push::push_targets()) {
        if (target == name) {
            return true;
        }
    }
    return false;
}

std::string target_list() {
    std::string out;
    for (const auto& target : push::push_targets()) {
        out += (out.empty() ? "" : ", ") + target;
    }
    return out;
}

} // namespace

CivilDate local_today() {
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    ::localtime_r(&now, &local);
    return CivilDate{local.tm_year + 1900, static_cast<unsigned>(local.tm_mon + 1),
                     static_cast<unsigned>(local.tm_mday)};
}

std::string CommandPush::usage() const {
    return "ultrastrength push [OPTIONS] TARGET DIR\n"
           "       ultrastrength push --login TARGET [--code CODE]";
}

std::string CommandPush::details() const {
    return "TARGET is one of " + target_list() +
           ".\nDIR is a folder written by `plan --out` (or `batch --out`: every athlete in it).\n"
           "Each session is keyed by its stable id: a rerun creates what is new, updates what\n"
           "changed, sends nothing for what is unchanged and deletes what is no longer planned\n"
           "(days before today stay). What was pushed is kept in "
           "DIR/.ultrastrength-push-TARGET.json.\n"
           "Credentials: --config FILE (default $ULTRASTRENGTH_PUSH_CONFIG, else\n"
           "~/.config/ultrastrength/push.json; mode 0600, refused when others can read it) or\n"
           "ULTRASTRENGTH_<TARGET>_<KEY> variables; never printed. docs/push.md has the details.\n"
           "Exit codes: 0 all pushed, 1 some sessions failed or were refused (listed), 2 usage\n"
           "error, 3 nothing could be done.\n\n"
           "Examples:\n"
           "  ultrastrength push intervals-icu ~/plans\n"
           "  ultrastrength push trainingpeaks ~/coaching/plans --dry-run requests/\n"
           "  ultrastrength push --login trainingpeaks\n";
}

void CommandPush::add_options(po::options_description& options,
                              po::positional_options_description& positional) {
    options.add_options()                                   //
        ("target", po::value<std::string>(), "push target") //
        ("dir", po::value<std::string>(), "plan folder")    //
        ("login", po::bool_switch(&m_login), "run the one-time browser authorization")(
            "code", po::value<std::string>(), "with --login: the code the browser got")(
            "config", po::value<std::string>(), "credentials file (JSON, mode 0600)")(
            "dry-run", po::value<std::string>(),
            "write the requests (secrets masked) to this folder, send nothing")(
            "today", po::value<std::string>(), "today's date for the date windows (YYYY-MM-DD)")(
            "attempts", po::value<int>()->default_value(4),
            "tries per request on 429, 5xx or no answer (backoff 2, 4, 8 s)")(
            "timeout", po::value<long>()->default_value(60),
            "seconds per request")("quiet,q", po::bool_switch(&m_quiet), "print problems only");
    positional.add("target", 1).add("dir", 1);
}

void CommandPush::apply(const po::variables_map& vm) {
    if (vm.count("target") == 0) {
        throw UsageError("no TARGET given (one of " + target_list() + ")");
    }
    m_options.target = vm["target"].as<std::string>();
    if (!is_target(m_options.target)) {
        throw UsageError("unknown TARGET '" + m_options.target + "' (one of " + target_list() +
                         ")");
    }
    if (vm.count("code") != 0) {
        if (!m_login) {
            throw UsageError("--code goes with --login");
        }
        m_code = vm["code"].as<std::string>();
    }
    if (!m_login) {
        if (vm.count("dir") == 0) {
            throw UsageError("no DIR given (a folder written by `plan --out`)");
        }
        m_options.folder = vm["dir"].as<std::string>();
    }
    m_options.config = vm.count("config") != 0
                           ? std::filesystem::path(vm["config"].as<std::string>())
                           : push::default_config_path();
    if (vm.count("dry-run") != 0) {
        m_options.dry_run = vm["dry-run"].as<std::string>();
    }
    m_options.today = local_today();
    if (vm.count("today") != 0) {
        const auto today = parse_date(vm["today"].as<std::string>());
        if (!today) {
            throw UsageError("--today: expected YYYY-MM-DD, got '" + vm["today"].as<std::string>() +
                             "'");
        }
        m_options.today = *today;
    }
    m_options.attempts = vm["attempts"].as<int>();
    if (m_options.attempts < 1 || m_options.attempts > 10) {
        throw UsageError("--attempts: expected 1-10");
    }
    m_options.timeout_s = vm["timeout"].as<long>();
    if (m_options.timeout_s < 1) {
        throw UsageError("--timeout: expected at least 1 second");
    }
}

int push_and_report(const push::PushOptions& options, bool quiet) {
    push::PushReport report;
    try {
        report = push::run_push(options);
    } catch (const push::PushError& e) {
        std::cerr << "push: " << e.what() << "\n";
        return exit_failed;
    }
    for (const auto& session : report.sessions) {
        if (session.action == push::Action::unchanged) {
            continue;
        }
        const bool problem =
            session.action == push::Action::failed || session.action == push::Action::refused;
        if (quiet && !problem) {
            continue;
        }
        auto& out = problem ? std::cerr : std::cout;
        out << to_string(session.action) << "  " << session.date << "  " << session.session_id;
        if (!session.message.empty()) {
            out << ": " << session.message;
        }
        out << "\n";
    }
    for (const auto& error : report.errors) {
        std::cerr << "push: " << error << "\n";
    }
    const int problems = report.count(push::Action::failed) + report.count(push::Action::refused) +
                         static_cast<int>(report.errors.size());
    const int done = report.count(push::Action::created) + report.count(push::Action::updated) +
                     report.count(push::Action::deleted) + report.count(push::Action::unchanged);
    if (!quiet) {
        std::cout << options.target << ": " << report.sessions.size()
                  << " sessions: " << report.count(push::Action::created) << " created, "
                  << report.count(push::Action::updated) << " updated, "
                  << report.count(push::Action::deleted) << " deleted, "
                  << report.count(push::Action::unchanged) << " unchanged, "
                  << report.count(push::Action::failed) + report.count(push::Action::refused)
                  << " failed; " << report.requests << " requests"
                  << (options.dry_run ? " written to " + options.dry_run->string() : std::string())
                  << "\n";
    }
    if (problems == 0) {
        return exit_ok;
    }
    return done == 0 ? exit_failed : exit_partial;
}

int CommandPush::run() {
    if (m_login) {
        try {
            auto http = push::make_curl_client(m_options.timeout_s);
            std::cout << push::login(m_options.target, m_options.config, m_code, *http);
            return exit_ok;
        } catch (const push::PushError& e) {
            std::cerr << "push --login: " << e.what() << "\n";
            return exit_failed;
        }
    }
    return push_and_report(m_options, m_quiet);
}

} // namespace ultrastrength::cli
