/* stagger: entry point and the table of subcommands. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "docgen.h"

/* Options several commands share. */
#define OPT_OUTPUT(what) \
    { .letter = 'o', .name = "output", .kind = STG_OPT_FILE, .value = "FILE", \
      .help = \
      "write " what " here (default: standard output);\n" \
      "written whole or not at all" }
#define OPT_LAG_FACTOR \
    { .name = "max-lag-factor", .kind = STG_OPT_COUNT, .value = "N", \
      .min = 1, .max = 1000, \
      .help = \
      "a rule for every group without max_lag: its lag at most\n" \
      "N times its sync period (without it, a warning past 4)" }
#define OPT_SEED \
    { .name = "seed", .kind = STG_OPT_SEED, .value = "N", \
      .help = \
      "seed of the randomized search (default 1); the same\n" \
      "fleet, seed and flags give the same schedule" }

static const stg_opt plan_opts[] = {
    OPT_OUTPUT("the schedule"),
    { .name = "time-limit", .kind = STG_OPT_DURATION, .value = "TIME",
      .help = "stop searching after TIME (e.g. 30s, 2m; default 60s)\n"
      "and keep the best schedule found" },
    OPT_SEED,
    { .name = "threads", .kind = STG_OPT_COUNT, .value = "N",
      .min = 1, .max = 256,
      .help = "worker threads (default: the processors online); the\n"
              "schedule does not depend on it" },
    { .letter = 'v', .name = "verbose", .kind = STG_OPT_FLAG,
      .help = "also print the parts the fleet was planned in" },
    { .name = "from", .kind = STG_OPT_FILE, .value = "SCHEDULE",
      .help = "keep the groups of SCHEDULE (or, with the word today,\n"
              "of the fleet as configured) whose times need not move,\n"
              "and say how many moved (docs/advice.md)" },
    OPT_LAG_FACTOR,
    { .name = NULL }
};

static const stg_opt check_opts[] = {
    { .name = "all", .kind = STG_OPT_FLAG,
      .help = "list every period a link spends below the limit\n"
              "(without it, the first four)" },
    { .name = "parts", .kind = STG_OPT_FLAG,
      .help = "also print how planning splits the fleet into parts:\n"
              "how many, the largest, what joins them, what they share" },
    OPT_LAG_FACTOR,
    { .name = NULL }
};

static const stg_opt capacity_opts[] = {
    { .name = "growth", .kind = STG_OPT_TEXT, .value = "RATE",
      .help = "e.g. 3%/month or 40%/year: also print the months\n"
      "until each link crosses the limit" },
    { .name = "link", .kind = STG_OPT_TEXT, .value = "NAME",
      .help = "analyse this link only (no fleet-wide growth)" },
    { .name = "time-limit", .kind = STG_OPT_DURATION, .value = "TIME",
      .help = "limit of each planner run (default 2s)" },
    { .name = "seed", .kind = STG_OPT_SEED, .value = "N",
      .help = "seed of every planner run (default 1)" },
    { .name = "format", .kind = STG_OPT_CHOICE, .value = "table|csv|json",
      .help = "table (default), csv or json" },
    OPT_OUTPUT("the result"),
    { .name = NULL }
};

static const stg_opt advise_opts[] = {
    { .letter = 'o', .name = "output", .kind = STG_OPT_FILE, .value = "FILE",
      .help = "write the change sets that meet the limit as a scenarios\n"
              "file (stagger whatif replays it); written whole or not at all" },
    { .name = "keep-throttles", .kind = STG_OPT_FLAG,
      .help = "suggest no throttle changes" },
    { .name = "keep-groups", .kind = STG_OPT_FLAG,
      .help = "suggest no group splits and no moves to another server" },
    { .name = "keep-frequency", .kind = STG_OPT_FLAG,
      .help = "suggest no less frequent syncs" },
    { .name = "keep-capacity", .kind = STG_OPT_FLAG,
      .help = "suggest no wider links" },
    { .name = "max-changes", .kind = STG_OPT_COUNT, .value = "N",
      .min = 1, .max = 10,
      .help = "changes per set at most (default 3)" },
    { .name = "time-limit", .kind = STG_OPT_DURATION, .value = "TIME",
      .help = "limit of each whole-fleet plan (default 60s)" },
    { .name = "probe-limit", .kind = STG_OPT_DURATION, .value = "TIME",
      .help = "limit of each plan of a link's part (default 2s)" },
    OPT_SEED,
    { .name = "threads", .kind = STG_OPT_COUNT, .value = "N",
      .min = 1, .max = 256,
      .help = "worker threads (default: the processors online)" },
    { .name = NULL }
};

static const stg_opt export_opts[] = {
    { .name = "to", .kind = STG_OPT_CHOICE, .value = "csv|ps1|ics|svg|html|json",
      .help = "what to write: csv, ps1, ics, svg, html or json",
      .required = true },
    OPT_OUTPUT("it"),
    { .name = "fleet", .kind = STG_OPT_FILE, .value = "FILE",
      .help = "the fleet the schedule was planned for (default: the\n"
      "schedule's fleet.file as written, else beside the\n"
      "schedule); its sha256 must match the schedule's" },
    { .name = "jobs", .kind = STG_OPT_FILE, .value = "HISTORY",
      .help = "html and svg: mark the failed jobs of a DPM server's\n"
              "job history (docs/import.md) on the link charts; once\n"
              "per DPM server (docs/diagnose.md)",
      .many = true },
    { .name = NULL }
};

static const stg_opt whatif_opts[] = {
    { .name = "time-limit", .kind = STG_OPT_DURATION, .value = "TIME",
      .help = "limit of each plan (e.g. 30s, 2m; default 60s)" },
    { .name = "seed", .kind = STG_OPT_SEED, .value = "N",
      .help = "seed of every plan (default 1)" },
    { .letter = 'j', .name = "jobs", .kind = STG_OPT_COUNT, .value = "N",
      .min = 1, .max = 256,
      .help = "plans run at once (default 1); the output does\n"
      "not depend on it" },
    { .name = "format", .kind = STG_OPT_CHOICE, .value = "table|csv|json",
      .help = "table (default), csv or json" },
    OPT_OUTPUT("the rows"),
    { .name = "save-dir", .kind = STG_OPT_DIR, .value = "DIR",
      .help = "also write each plan's schedule there\n"
      "(baseline.schedule.yaml, NAME.schedule.yaml) and\n"
      "each scenario's fleet (NAME.fleet.yaml)" },
    { .name = NULL }
};

static const stg_opt import_opts[] = {
    { .name = "sites", .kind = STG_OPT_FILE, .value = "SITES",
      .help = "the sites file: links, the servers' paths, and the sites\n"
      "whose computers share links (docs/import.md)" },
    OPT_OUTPUT("the fleet"),
    { .name = NULL }
};

static const stg_opt diagnose_opts[] = {
    { .name = "jobs", .kind = STG_OPT_FILE, .value = "HISTORY",
      .help = "a DPM server's export with its job history\n"
              "(docs/import.md); once per DPM server",
      .required = true, .many = true },
    { .name = "list", .kind = STG_OPT_FLAG,
      .help = "also list every failed job placed: its time in the\n"
              "cycle, when, its computer, its error ID and the links\n"
              "below the limit then" },
    { .name = "format", .kind = STG_OPT_CHOICE, .value = "table|json",
      .help = "table (default) or json (every failed job listed)" },
    OPT_OUTPUT("the diagnosis"),
    { .name = NULL }
};

static const stg_opt no_opts[] = { { .name = NULL } };

static const stg_opt collect_opts[] = {
    OPT_OUTPUT("the script"),
    { .name = NULL }
};

static const stg_cmd commands[] = {
    { "validate", "FLEET", 1, 1, "expects one fleet file",
      "read and check a fleet file; print a summary or every error",
      no_opts,
      "Prints one line: links, servers, computers, groups, sources and jobs\n"
      "per cycle.  Every error is printed as file:line:col with the line and\n"
      "a caret; warnings too.\n",
      stg_cmd_validate,
      "not used: validate reads the fleet and plans nothing, so it breaks no "
      "rule (warnings leave the status 0)" },
    { "plan", "FLEET", 1, 1, "expects one fleet file",
      "plan sync offsets, express-full times, check starts and throttles",
      plan_opts,
      "A summary goes to standard error, with progress when it is a terminal.\n"
      "Ctrl-C stops the search and writes the best schedule so far.\n",
      stg_cmd_plan, NULL },
    { "check", "FLEET [SCHEDULE]", 1, 2,
      "expects a fleet file and optionally a schedule file",
      "evaluate a schedule, or the fleet as configured today",
      check_opts,
      "Prints each link's lowest headroom and when, the proven bound, and\n"
      "every violation.  With SCHEDULE, also checks that the schedule's\n"
      "claims hold for the fleet.\n",
      stg_cmd_check, NULL },
    { "capacity", "FLEET", 1, 1, "expects one fleet file",
      "per link: headroom, the smallest capacity that meets the limit, growth that still fits",
      capacity_opts,
      "For every link: headroom today (as configured) and planned; the smallest\n"
      "capacity at which a planned schedule keeps the required headroom on it\n"
      "(\"bound\": proven; \"searched\": found by planner runs), in steps of\n"
      "about 1% of its capacity; the largest uniform growth of data and churn\n"
      "that still fits with re-planning; and what binds.  See docs/capacity.md.\n"
      "Exit status 0 when the planned fleet keeps every rule today, 1 when a\n"
      "link is short already (everything is still printed).\n",
      stg_cmd_capacity, NULL },
    { "advise", "FLEET [SCHEDULE]", 1, 2,
      "expects a fleet file and optionally a schedule file",
      "say why links miss the limit and find the smallest changes that meet it",
      advise_opts,
      "Plans the fleet (or takes SCHEDULE), and for every link below the\n"
      "required headroom prints what proves that no offset can meet it (one\n"
      "group across several computers, a transfer longer than a sync period,\n"
      "the background, max_jobs...) and the sets of changes that do, each\n"
      "proven by planning it: throttles, a group split by computer, express\n"
      "fulls or check windows moved, less frequent syncs, another DPM server,\n"
      "a wider link last; then the best sets together, planned on the whole\n"
      "fleet.  See docs/advice.md.\n"
      "Exit status 0 when every link keeps the limit or a whole-fleet set\n"
      "meets it, 1 when none was found, 2 bad input, 3 internal failure.\n",
      stg_cmd_advise, NULL },
    { "export", "SCHEDULE", 1, 1, "expects one schedule file",
      "turn a schedule into a job table, a DPM script, a calendar, pictures or JSON",
      export_opts,
      "Formats: csv, the transfers with their rates and links, one row per\n"
      "constant-rate part (needs the fleet); ps1, a DPM Management Shell script\n"
      "that applies the plan (dry run unless -Apply); ics, the express fulls and\n"
      "consistency checks as calendar events; svg, each link's load over the\n"
      "cycle, the plan against today, and the transfers per group (needs the\n"
      "fleet); html, a self-contained report page with those pictures and\n"
      "tables (needs the fleet); json, the schedule file as JSON.\n"
      "Export judges nothing: it exits 0 once the file is written, also for a\n"
      "schedule that breaks a rule (stagger check says which).\n",
      stg_cmd_export,
      "not used: export judges nothing, and exits 0 once the file is "
      "written, also for a schedule that breaks a rule (stagger check says "
      "which)" },
    { "diagnose", "FLEET [SCHEDULE]", 1, 2,
      "expects a fleet file and optionally a schedule file",
      "say whether link saturation explains failed DPM jobs, placed on the predicted load",
      diagnose_opts,
      "Simulates the fleet as configured today (or SCHEDULE's settings) as\n"
      "check does, and places every job of the job histories at its start on\n"
      "the cycle.  Per link (the failures of the computers whose path crosses\n"
      "it) and per error ID: how many failures, how many started where the\n"
      "link is below the required headroom, how many would by chance (as\n"
      "often as the succeeded jobs), the chance of that many or more, and a\n"
      "verdict: saturation explains these, does not, timing cannot tell, or\n"
      "too few to tell (at least 5 failures and p < 0.05; see\n"
      "docs/diagnose.md).  Failed jobs of computers not in the fleet are\n"
      "counted and named.\n",
      stg_cmd_diagnose,
      "saturation explains the failures on some link or of some error ID: "
      "more of them started where a link is below the required headroom "
      "than chance would put there (docs/diagnose.md)" },
    { "whatif", "FLEET SCENARIOS", 2, 2,
      "expects a fleet file and a scenarios file",
      "plan the fleet and each scenario of a change set file; one row each",
      whatif_opts,
      "Applies each named change set of SCENARIOS (set, scale, add, remove,\n"
      "move; see docs/scenarios.md) to the fleet, plans the fleet and every\n"
      "scenario with the same options, and prints one row per scenario beside\n"
      "the baseline: status, worst-link headroom, link and time, bound, links\n"
      "below the limit, groups whose planned settings moved, solve seconds.\n"
      "Every scenario is checked before anything is planned; errors point at\n"
      "the line of the fleet or the scenarios file they are about.\n"
      "Exit status 0 when the baseline and every scenario keep every rule, 1\n"
      "when a plan breaks one (every row is still printed), 2 when an input\n"
      "is wrong (nothing is planned), 3 on an internal failure.\n",
      stg_cmd_whatif, NULL },
    { "collect", "", 0, 0, "takes no operands",
      "print the PowerShell script that writes a DPM server's export file",
      collect_opts,
      "The script (stagger-collect.ps1) runs in the DPM Management Shell on a\n"
      "DPM server: it reads the protection groups, their data sources and\n"
      "short-term schedules, the consistency-check windows and the job history\n"
      "with read-only cmdlets, and writes one export file (JSON, UTF-8) for\n"
      "stagger import.  Its parameters: -DPMServerName, -OutFile, -HistoryDays N\n"
      "(default 14; 0: no job history) or -From and -To.  See docs/import.md.\n",
      stg_cmd_collect,
      "not used: collect prints the script and judges nothing" },
    { "import", "EXPORT...", 1, STG_MAX_OPERANDS,
      "expects one or more DPM export files",
      "turn DPM exports (stagger collect) and a sites file into a fleet file",
      import_opts,
      "Reads one export per DPM server (JSON, UTF-8 or UTF-16) and the sites\n"
      "file, and writes the fleet: DPM's groups, schedules, data sources and\n"
      "throttles as they are today, the links and paths of the sites, and\n"
      "churn from the job history.  A comment above an entry says where its\n"
      "values come from; \"check:\" marks one the exports do not give.  The\n"
      "fleet is read back as stagger validate reads it.  A summary goes to\n"
      "standard error.  See docs/import.md.\n"
      "Exit status 0 when the fleet is written, 1 when it is written but\n"
      "breaks a rule of fleet.md (said against its lines), 2 when an input\n"
      "is wrong (nothing is written), 3 on an internal failure.\n",
      stg_cmd_import,
      "the fleet is written, but breaks a rule of fleet.md: the messages "
      "name its lines" },
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *out)
{
    fprintf(out, "usage: stagger COMMAND [ARGS]\n\n"
                 "Plans DPM protection-group schedules that keep every network\n"
                 "link's control-path headroom.\n\ncommands:\n");
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\nstagger COMMAND --help shows a command's options; "
                 "stagger --version its version.\n"
                 "Exit status: 0 every rule holds, 1 a rule is broken, "
                 "2 bad input, 3 internal failure.\n");
}

/* Parses a command's arguments and runs it (or prints its help). */
static int run(const stg_cmd *cmd, int argc, char **argv)
{
    stg_args a;
    if (stg_args_parse(cmd, argc, argv, &a))
        return STG_EXIT_INPUT;
    if (a.help) {
        stg_args_help(stdout, cmd);
        return STG_EXIT_OK;
    }
    return cmd->run(&a);
}

/* `stagger help --man [COMMAND]` and `stagger help --completion bash`:
 * the manual pages and the completion, generated from the table above. */
static int docs(int argc, char **argv)
{
    if (!strcmp(argv[0], "--completion")) {
        if (argc != 2 || strcmp(argv[1], "bash")) {
            stg_cli_error("help", "--completion takes one shell: bash");
            return STG_EXIT_INPUT;
        }
        stg_docgen_bash(stdout, commands, NCOMMANDS);
        return STG_EXIT_OK;
    }
    if (argc == 1) {
        stg_docgen_man_index(stdout, commands, NCOMMANDS);
        return STG_EXIT_OK;
    }
    for (size_t i = 0; argc == 2 && i < NCOMMANDS; i++)
        if (!strcmp(commands[i].name, argv[1])) {
            stg_docgen_man(stdout, &commands[i]);
            return STG_EXIT_OK;
        }
    stg_cli_error("help", "--man takes no command or one of the commands");
    return STG_EXIT_INPUT;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return STG_EXIT_INPUT;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
        printf("stagger %s\n", STG_VERSION);
        return STG_EXIT_OK;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
        !strcmp(argv[1], "help")) {
        if (argc > 2 && strcmp(argv[1], "help") == 0 &&
            (!strcmp(argv[2], "--man") || !strcmp(argv[2], "--completion")))
            return docs(argc - 2, argv + 2);
        if (argc > 2 && strcmp(argv[1], "help") == 0) {
            for (size_t i = 0; i < NCOMMANDS; i++)
                if (!strcmp(commands[i].name, argv[2])) {
                    stg_args_help(stdout, &commands[i]);
                    return STG_EXIT_OK;
                }
        }
        usage(stdout);
        return STG_EXIT_OK;
    }
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (!strcmp(commands[i].name, argv[1]))
            return run(&commands[i], argc - 1, argv + 1);
    stg_cli_error(NULL, "'%s' is not a command", argv[1]);
    usage(stderr);
    return STG_EXIT_INPUT;
}
