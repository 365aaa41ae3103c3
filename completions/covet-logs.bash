_covet__logs() {
    local i cur prev opts cmd
    COMPREPLY=()
    if [[ "${BASH_VERSINFO[0]}" -ge 4 ]]; then
        cur="$2"
    else
        cur="${COMP_WORDS[COMP_CWORD]}"
    fi
    prev="$3"
    cmd=""
    opts=""

    for i in "${COMP_WORDS[@]:0:COMP_CWORD}"
    do
        case "${cmd},${i}" in
            ",$1")
                cmd="covet__logs"
                ;;
            covet__logs,cluster)
                cmd="covet__logs__subcmd__cluster"
                ;;
            covet__logs,completions)
                cmd="covet__logs__subcmd__completions"
                ;;
            covet__logs,context)
                cmd="covet__logs__subcmd__context"
                ;;
            covet__logs,export)
                cmd="covet__logs__subcmd__export"
                ;;
            covet__logs,fields)
                cmd="covet__logs__subcmd__fields"
                ;;
            covet__logs,filters)
                cmd="covet__logs__subcmd__filters"
                ;;
            covet__logs,formats)
                cmd="covet__logs__subcmd__formats"
                ;;
            covet__logs,help)
                cmd="covet__logs__subcmd__help"
                ;;
            covet__logs,history)
                cmd="covet__logs__subcmd__history"
                ;;
            covet__logs,index)
                cmd="covet__logs__subcmd__index"
                ;;
            covet__logs,man)
                cmd="covet__logs__subcmd__man"
                ;;
            covet__logs,search)
                cmd="covet__logs__subcmd__search"
                ;;
            covet__logs,serve)
                cmd="covet__logs__subcmd__serve"
                ;;
            covet__logs,stats)
                cmd="covet__logs__subcmd__stats"
                ;;
            covet__logs,suggest)
                cmd="covet__logs__subcmd__suggest"
                ;;
            covet__logs,tail)
                cmd="covet__logs__subcmd__tail"
                ;;
            covet__logs__subcmd__cluster,executor)
                cmd="covet__logs__subcmd__cluster__subcmd__executor"
                ;;
            covet__logs__subcmd__cluster,help)
                cmd="covet__logs__subcmd__cluster__subcmd__help"
                ;;
            covet__logs__subcmd__cluster,scheduler)
                cmd="covet__logs__subcmd__cluster__subcmd__scheduler"
                ;;
            covet__logs__subcmd__cluster__subcmd__help,executor)
                cmd="covet__logs__subcmd__cluster__subcmd__help__subcmd__executor"
                ;;
            covet__logs__subcmd__cluster__subcmd__help,help)
                cmd="covet__logs__subcmd__cluster__subcmd__help__subcmd__help"
                ;;
            covet__logs__subcmd__cluster__subcmd__help,scheduler)
                cmd="covet__logs__subcmd__cluster__subcmd__help__subcmd__scheduler"
                ;;
            covet__logs__subcmd__filters,help)
                cmd="covet__logs__subcmd__filters__subcmd__help"
                ;;
            covet__logs__subcmd__filters,list)
                cmd="covet__logs__subcmd__filters__subcmd__list"
                ;;
            covet__logs__subcmd__filters,rm)
                cmd="covet__logs__subcmd__filters__subcmd__rm"
                ;;
            covet__logs__subcmd__filters,save)
                cmd="covet__logs__subcmd__filters__subcmd__save"
                ;;
            covet__logs__subcmd__filters,show)
                cmd="covet__logs__subcmd__filters__subcmd__show"
                ;;
            covet__logs__subcmd__filters__subcmd__help,help)
                cmd="covet__logs__subcmd__filters__subcmd__help__subcmd__help"
                ;;
            covet__logs__subcmd__filters__subcmd__help,list)
                cmd="covet__logs__subcmd__filters__subcmd__help__subcmd__list"
                ;;
            covet__logs__subcmd__filters__subcmd__help,rm)
                cmd="covet__logs__subcmd__filters__subcmd__help__subcmd__rm"
                ;;
            covet__logs__subcmd__filters__subcmd__help,save)
                cmd="covet__logs__subcmd__filters__subcmd__help__subcmd__save"
                ;;
            covet__logs__subcmd__filters__subcmd__help,show)
                cmd="covet__logs__subcmd__filters__subcmd__help__subcmd__show"
                ;;
            covet__logs__subcmd__formats,detect)
                cmd="covet__logs__subcmd__formats__subcmd__detect"
                ;;
            covet__logs__subcmd__formats,help)
                cmd="covet__logs__subcmd__formats__subcmd__help"
                ;;
            covet__logs__subcmd__formats__subcmd__help,detect)
                cmd="covet__logs__subcmd__formats__subcmd__help__subcmd__detect"
                ;;
            covet__logs__subcmd__formats__subcmd__help,help)
                cmd="covet__logs__subcmd__formats__subcmd__help__subcmd__help"
                ;;
            covet__logs__subcmd__help,cluster)
                cmd="covet__logs__subcmd__help__subcmd__cluster"
                ;;
            covet__logs__subcmd__help,completions)
                cmd="covet__logs__subcmd__help__subcmd__completions"
                ;;
            covet__logs__subcmd__help,context)
                cmd="covet__logs__subcmd__help__subcmd__context"
                ;;
            covet__logs__subcmd__help,export)
                cmd="covet__logs__subcmd__help__subcmd__export"
                ;;
            covet__logs__subcmd__help,fields)
                cmd="covet__logs__subcmd__help__subcmd__fields"
                ;;
            covet__logs__subcmd__help,filters)
                cmd="covet__logs__subcmd__help__subcmd__filters"
                ;;
            covet__logs__subcmd__help,formats)
                cmd="covet__logs__subcmd__help__subcmd__formats"
                ;;
            covet__logs__subcmd__help,help)
                cmd="covet__logs__subcmd__help__subcmd__help"
                ;;
            covet__logs__subcmd__help,history)
                cmd="covet__logs__subcmd__help__subcmd__history"
                ;;
            covet__logs__subcmd__help,index)
                cmd="covet__logs__subcmd__help__subcmd__index"
                ;;
            covet__logs__subcmd__help,man)
                cmd="covet__logs__subcmd__help__subcmd__man"
                ;;
            covet__logs__subcmd__help,search)
                cmd="covet__logs__subcmd__help__subcmd__search"
                ;;
            covet__logs__subcmd__help,serve)
                cmd="covet__logs__subcmd__help__subcmd__serve"
                ;;
            covet__logs__subcmd__help,stats)
                cmd="covet__logs__subcmd__help__subcmd__stats"
                ;;
            covet__logs__subcmd__help,suggest)
                cmd="covet__logs__subcmd__help__subcmd__suggest"
                ;;
            covet__logs__subcmd__help,tail)
                cmd="covet__logs__subcmd__help__subcmd__tail"
                ;;
            covet__logs__subcmd__help__subcmd__cluster,executor)
                cmd="covet__logs__subcmd__help__subcmd__cluster__subcmd__executor"
                ;;
            covet__logs__subcmd__help__subcmd__cluster,scheduler)
                cmd="covet__logs__subcmd__help__subcmd__cluster__subcmd__scheduler"
                ;;
            covet__logs__subcmd__help__subcmd__filters,list)
                cmd="covet__logs__subcmd__help__subcmd__filters__subcmd__list"
                ;;
            covet__logs__subcmd__help__subcmd__filters,rm)
                cmd="covet__logs__subcmd__help__subcmd__filters__subcmd__rm"
                ;;
            covet__logs__subcmd__help__subcmd__filters,save)
                cmd="covet__logs__subcmd__help__subcmd__filters__subcmd__save"
                ;;
            covet__logs__subcmd__help__subcmd__filters,show)
                cmd="covet__logs__subcmd__help__subcmd__filters__subcmd__show"
                ;;
            covet__logs__subcmd__help__subcmd__formats,detect)
                cmd="covet__logs__subcmd__help__subcmd__formats__subcmd__detect"
                ;;
            covet__logs__subcmd__help__subcmd__history,run)
                cmd="covet__logs__subcmd__help__subcmd__history__subcmd__run"
                ;;
            covet__logs__subcmd__history,help)
                cmd="covet__logs__subcmd__history__subcmd__help"
                ;;
            covet__logs__subcmd__history,run)
                cmd="covet__logs__subcmd__history__subcmd__run"
                ;;
            covet__logs__subcmd__history__subcmd__help,help)
                cmd="covet__logs__subcmd__history__subcmd__help__subcmd__help"
                ;;
            covet__logs__subcmd__history__subcmd__help,run)
                cmd="covet__logs__subcmd__history__subcmd__help__subcmd__run"
                ;;
            *)
                ;;
        esac
    done

    case "${cmd}" in
        covet__logs)
            opts="-h -V --no-config --help --version search tail stats context export fields index filters history completions man suggest formats serve cluster help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 1 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__cluster)
            opts="-h --no-config --help scheduler executor help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__cluster__subcmd__executor)
            opts="-h --scheduler --bind --unauthenticated --concurrency --no-config --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --scheduler)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --bind)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --concurrency)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__cluster__subcmd__help)
            opts="scheduler executor help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__cluster__subcmd__help__subcmd__executor)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__cluster__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__cluster__subcmd__help__subcmd__scheduler)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__cluster__subcmd__scheduler)
            opts="-h --bind --unauthenticated --executor-timeout --no-config --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --bind)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --executor-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__completions)
            opts="-h --no-config --help bash zsh fish powershell elvish"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__context)
            opts="-A -B -C -j -L -g -h --trace --request --user --by --filter --window --after-context --before-context --context --json --format --input-format --tz --color --paging --local --utc --time-format --threads --no-mmap --debug --chunk-size --follow-links --max-entry-size --glob --index --no-config --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --trace)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --request)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --user)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --by)
                    COMPREPLY=($(compgen -W "trace request user none" -- "${cur}"))
                    return 0
                    ;;
                --filter)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --window)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --after-context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -A)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --before-context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -B)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -C)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --format)
                    COMPREPLY=($(compgen -W "text md" -- "${cur}"))
                    return 0
                    ;;
                --input-format)
                    COMPREPLY=($(compgen -W "auto json logfmt covet text plain docker cri compose cee syslog5424 access apache-error nginx-error klog semantic_logger rails nlog nlog-csv zerolog gin gin-debug log4rs winston winston-printf winston-label pino-pretty calico hclog logrus env_logger tracing loguru structlog python python-basic ruby kafka spdlog serilog logback spring-boot syslog-level pipes log4j-zookeeper log4j log4j-thread-last log4j-short jul cri journald-iso syslog serilog-file monolog logcat oslo cbs zap compose bgl thunderbird healthapp proxifier vdsm mysql-slow go-log celery django redis elixir" -- "${cur}"))
                    return 0
                    ;;
                --tz)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --paging)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --time-format)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --threads)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -j)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --chunk-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-entry-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --glob)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -g)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --index)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__export)
            opts="-o -q -s -l -j -L -g -h --format --output --fields --partition-by --no-progress --engine --query --filter --case-sensitive --regex --level --service --source --since --until --tz --input-format --threads --no-mmap --debug --chunk-size --follow-links --max-entry-size --glob --index --no-config --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --format)
                    COMPREPLY=($(compgen -W "json ndjson csv txt raw parquet" -- "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --fields)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --partition-by)
                    COMPREPLY=($(compgen -W "day service level" -- "${cur}"))
                    return 0
                    ;;
                --engine)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -q)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --filter)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --level)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -l)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --service)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --source)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --since)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --until)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --tz)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --input-format)
                    COMPREPLY=($(compgen -W "auto json logfmt covet text plain docker cri compose cee syslog5424 access apache-error nginx-error klog semantic_logger rails nlog nlog-csv zerolog gin gin-debug log4rs winston winston-printf winston-label pino-pretty calico hclog logrus env_logger tracing loguru structlog python python-basic ruby kafka spdlog serilog logback spring-boot syslog-level pipes log4j-zookeeper log4j log4j-thread-last log4j-short jul cri journald-iso syslog serilog-file monolog logcat oslo cbs zap compose bgl thunderbird healthapp proxifier vdsm mysql-slow go-log celery django redis elixir" -- "${cur}"))
                    return 0
                    ;;
                --threads)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -j)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --chunk-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-entry-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --glob)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -g)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --index)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__fields)
            opts="-n -q -s -l -j -L -g -h --top --json --query --filter --case-sensitive --regex --level --service --source --since --until --tz --format --threads --no-mmap --debug --chunk-size --follow-links --max-entry-size --glob --index --no-config --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --top)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -n)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -q)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --filter)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --level)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -l)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --service)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --source)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --since)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --until)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --tz)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --format)
                    COMPREPLY=($(compgen -W "auto json logfmt covet text plain docker cri compose cee syslog5424 access apache-error nginx-error klog semantic_logger rails nlog nlog-csv zerolog gin gin-debug log4rs winston winston-printf winston-label pino-pretty calico hclog logrus env_logger tracing loguru structlog python python-basic ruby kafka spdlog serilog logback spring-boot syslog-level pipes log4j-zookeeper log4j log4j-thread-last log4j-short jul cri journald-iso syslog serilog-file monolog logcat oslo cbs zap compose bgl thunderbird healthapp proxifier vdsm mysql-slow go-log celery django redis elixir" -- "${cur}"))
                    return 0
                    ;;
                --threads)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -j)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --chunk-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-entry-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --glob)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -g)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --index)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__filters)
            opts="-h --no-config --help save list show rm help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__filters__subcmd__help)
            opts="save list show rm help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__filters__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__filters__subcmd__help__subcmd__list)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__filters__subcmd__help__subcmd__rm)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__filters__subcmd__help__subcmd__save)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__filters__subcmd__help__subcmd__show)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__filters__subcmd__list)
            opts="-h --json --no-config --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__filters__subcmd__rm)
            opts="-h --no-config --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__filters__subcmd__save)
            opts="-s -h --since --until --description --regex --case-sensitive --force --no-config --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --since)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --until)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --description)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__filters__subcmd__show)
            opts="-h --no-config --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__formats)
            opts="-h --no-config --help detect help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__formats__subcmd__detect)
            opts="-h --no-config --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__formats__subcmd__help)
            opts="detect help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__formats__subcmd__help__subcmd__detect)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__formats__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__help)
            opts="search tail stats context export fields index filters history completions man suggest formats serve cluster help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__help__subcmd__cluster)
            opts="scheduler executor"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__help__subcmd__cluster__subcmd__executor)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__help__subcmd__cluster__subcmd__scheduler)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__help__subcmd__completions)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__help__subcmd__context)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__help__subcmd__export)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__help__subcmd__fields)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__help__subcmd__filters)
            opts="save list show rm"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__help__subcmd__filters__subcmd__list)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__help__subcmd__filters__subcmd__rm)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__help__subcmd__filters__subcmd__save)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__help__subcmd__filters__subcmd__show)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__help__subcmd__formats)
            opts="detect"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__help__subcmd__formats__subcmd__detect)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__help__subcmd__history)
            opts="run"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__help__subcmd__history__subcmd__run)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__help__subcmd__index)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__help__subcmd__man)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__help__subcmd__search)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__help__subcmd__serve)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__help__subcmd__stats)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__help__subcmd__suggest)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__help__subcmd__tail)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__history)
            opts="-n -h --lines --json --clear --no-config --help run help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --lines)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -n)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__history__subcmd__help)
            opts="run help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__history__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__history__subcmd__help__subcmd__run)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__history__subcmd__run)
            opts="-h --no-config --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__index)
            opts="-j -L -g -h --tz --format --threads --no-mmap --debug --chunk-size --follow-links --max-entry-size --glob --index --no-config --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --tz)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --format)
                    COMPREPLY=($(compgen -W "auto json logfmt covet text plain docker cri compose cee syslog5424 access apache-error nginx-error klog semantic_logger rails nlog nlog-csv zerolog gin gin-debug log4rs winston winston-printf winston-label pino-pretty calico hclog logrus env_logger tracing loguru structlog python python-basic ruby kafka spdlog serilog logback spring-boot syslog-level pipes log4j-zookeeper log4j log4j-thread-last log4j-short jul cri journald-iso syslog serilog-file monolog logcat oslo cbs zap compose bgl thunderbird healthapp proxifier vdsm mysql-slow go-log celery django redis elixir" -- "${cur}"))
                    return 0
                    ;;
                --threads)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -j)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --chunk-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-entry-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --glob)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -g)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --index)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__man)
            opts="-h --no-config --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__search)
            opts="-q -s -l -j -L -g -x -i -v -e -w -F -n -N -H -o -c -m -A -B -C -f -h --query --filter --case-sensitive --regex --level --service --source --since --until --tz --format --threads --no-mmap --debug --chunk-size --follow-links --max-entry-size --glob --index --json --raw --expand --color --paging --local --utc --time-format --ignore-case --invert-match --regexp --word-regexp --fixed-strings --line-number --no-line-number --with-filename --no-filename --only-matching --files --stats --count --max-count --engine --newest-first --after-context --before-context --context --follow --no-status --no-history --no-config --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -q)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --filter)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --level)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -l)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --service)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --source)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --since)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --until)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --tz)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --format)
                    COMPREPLY=($(compgen -W "auto json logfmt covet text plain docker cri compose cee syslog5424 access apache-error nginx-error klog semantic_logger rails nlog nlog-csv zerolog gin gin-debug log4rs winston winston-printf winston-label pino-pretty calico hclog logrus env_logger tracing loguru structlog python python-basic ruby kafka spdlog serilog logback spring-boot syslog-level pipes log4j-zookeeper log4j log4j-thread-last log4j-short jul cri journald-iso syslog serilog-file monolog logcat oslo cbs zap compose bgl thunderbird healthapp proxifier vdsm mysql-slow go-log celery django redis elixir" -- "${cur}"))
                    return 0
                    ;;
                --threads)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -j)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --chunk-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-entry-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --glob)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -g)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --index)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --paging)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --time-format)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --regexp)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -e)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-count)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -m)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --engine)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --after-context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -A)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --before-context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -B)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -C)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__serve)
            opts="-j -L -g -h --addr --token-file --format --threads --no-mmap --debug --chunk-size --follow-links --max-entry-size --glob --index --no-config --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --addr)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --token-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --format)
                    COMPREPLY=($(compgen -W "auto json logfmt covet text plain docker cri compose cee syslog5424 access apache-error nginx-error klog semantic_logger rails nlog nlog-csv zerolog gin gin-debug log4rs winston winston-printf winston-label pino-pretty calico hclog logrus env_logger tracing loguru structlog python python-basic ruby kafka spdlog serilog logback spring-boot syslog-level pipes log4j-zookeeper log4j log4j-thread-last log4j-short jul cri journald-iso syslog serilog-file monolog logcat oslo cbs zap compose bgl thunderbird healthapp proxifier vdsm mysql-slow go-log celery django redis elixir" -- "${cur}"))
                    return 0
                    ;;
                --threads)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -j)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --chunk-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-entry-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --glob)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -g)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --index)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__stats)
            opts="-q -s -l -j -L -g -f -h --query --filter --case-sensitive --regex --level --service --source --since --until --tz --format --threads --no-mmap --debug --chunk-size --follow-links --max-entry-size --glob --index --json --color --paging --local --utc --time-format --interval --by --top --value --alert --alerts --follow --engine --full --width --height --warn-rate --crit-rate --min-confidence --no-config --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -q)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --filter)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --level)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -l)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --service)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --source)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --since)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --until)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --tz)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --format)
                    COMPREPLY=($(compgen -W "auto json logfmt covet text plain docker cri compose cee syslog5424 access apache-error nginx-error klog semantic_logger rails nlog nlog-csv zerolog gin gin-debug log4rs winston winston-printf winston-label pino-pretty calico hclog logrus env_logger tracing loguru structlog python python-basic ruby kafka spdlog serilog logback spring-boot syslog-level pipes log4j-zookeeper log4j log4j-thread-last log4j-short jul cri journald-iso syslog serilog-file monolog logcat oslo cbs zap compose bgl thunderbird healthapp proxifier vdsm mysql-slow go-log celery django redis elixir" -- "${cur}"))
                    return 0
                    ;;
                --threads)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -j)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --chunk-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-entry-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --glob)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -g)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --index)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --paging)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --time-format)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --interval)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --by)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --top)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --value)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --alert)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --engine)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --width)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --height)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --warn-rate)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --crit-rate)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --min-confidence)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__suggest)
            opts="-h --kind --path --no-config --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --kind)
                    COMPREPLY=($(compgen -W "query filter" -- "${cur}"))
                    return 0
                    ;;
                --path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        covet__logs__subcmd__tail)
            opts="-n -f -q -s -l -j -L -g -x -h --lines --follow --newest-first --no-status --query --filter --case-sensitive --regex --level --service --source --since --until --tz --format --threads --no-mmap --debug --chunk-size --follow-links --max-entry-size --glob --index --json --raw --expand --color --paging --local --utc --time-format --no-config --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --lines)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -n)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -q)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --filter)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --level)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -l)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --service)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --source)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --since)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --until)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --tz)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --format)
                    COMPREPLY=($(compgen -W "auto json logfmt covet text plain docker cri compose cee syslog5424 access apache-error nginx-error klog semantic_logger rails nlog nlog-csv zerolog gin gin-debug log4rs winston winston-printf winston-label pino-pretty calico hclog logrus env_logger tracing loguru structlog python python-basic ruby kafka spdlog serilog logback spring-boot syslog-level pipes log4j-zookeeper log4j log4j-thread-last log4j-short jul cri journald-iso syslog serilog-file monolog logcat oslo cbs zap compose bgl thunderbird healthapp proxifier vdsm mysql-slow go-log celery django redis elixir" -- "${cur}"))
                    return 0
                    ;;
                --threads)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -j)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --chunk-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-entry-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --glob)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -g)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --index)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --paging)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --time-format)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
    esac
}

if [[ "${BASH_VERSINFO[0]}" -eq 4 && "${BASH_VERSINFO[1]}" -ge 4 || "${BASH_VERSINFO[0]}" -gt 4 ]]; then
    complete -F _covet__logs -o nosort -o bashdefault -o default covet-logs
else
    complete -F _covet__logs -o bashdefault -o default covet-logs
fi

# covet-logs: query and --filter suggestions from `covet-logs suggest`.
_covet__logs__suggest() {
    local line="${COMP_LINE:0:COMP_POINT}" word mode="" prev sub npos=0 t
    word="${line##*[[:space:]]}"
    local -a toks
    read -ra toks <<< "${line%"$word"}"
    sub="${toks[1]}"
    prev="${toks[${#toks[@]}-1]}"
    case "$prev" in
        --filter) mode=filter ;;
        -q|--query) mode=query ;;
    esac
    local qfirst=""
    case "$sub" in search|tail|stats|export) qfirst=1 ;; esac
    if [[ -z "$mode" && -n "$qfirst" && "$word" != -* ]]; then
        mode=query
        for ((t = 2; t < ${#toks[@]}; t++)); do
            case "$sub:${toks[t]}" in
                "$sub:--") ;;
                search:-q|search:--query|search:--filter|search:-l|search:--level|search:--service|search:--source|search:--since|search:--until|search:--tz|search:--format|search:-j|search:--threads|search:--chunk-size|search:--max-entry-size|search:-g|search:--glob|search:--index|search:--color|search:--paging|search:--time-format|search:-e|search:--regexp|search:-m|search:--max-count|search:--engine|search:-A|search:--after-context|search:-B|search:--before-context|search:-C|search:--context|tail:-n|tail:--lines|tail:-q|tail:--query|tail:--filter|tail:-l|tail:--level|tail:--service|tail:--source|tail:--since|tail:--until|tail:--tz|tail:--format|tail:-j|tail:--threads|tail:--chunk-size|tail:--max-entry-size|tail:-g|tail:--glob|tail:--index|tail:--color|tail:--paging|tail:--time-format|stats:-q|stats:--query|stats:--filter|stats:-l|stats:--level|stats:--service|stats:--source|stats:--since|stats:--until|stats:--tz|stats:--format|stats:-j|stats:--threads|stats:--chunk-size|stats:--max-entry-size|stats:-g|stats:--glob|stats:--index|stats:--color|stats:--paging|stats:--time-format|stats:--interval|stats:--by|stats:--top|stats:--value|stats:--alert|stats:--engine|stats:--width|stats:--height|stats:--warn-rate|stats:--crit-rate|stats:--min-confidence|export:--format|export:-o|export:--output|export:--fields|export:--partition-by|export:--engine|export:-q|export:--query|export:--filter|export:-l|export:--level|export:--service|export:--source|export:--since|export:--until|export:--tz|export:--input-format|export:-j|export:--threads|export:--chunk-size|export:--max-entry-size|export:-g|export:--glob|export:--index) ((t++)) ;;
                "$sub:"-*) ;;
                *) npos=$((npos + 1)) ;;
            esac
        done
        ((npos == 0)) || mode=""
    fi
    # Inside an open quote (`search 'level:ERROR serv`): readline hands over the whole
    # quoted text ($2) and replaces it, so each suggestion keeps the words before.
    local sq="${line//[^\']/}" dq="${line//[^\"]/}" inq="" before=""
    if [[ -n "$qfirst" ]] && ((${#sq} % 2 || ${#dq} % 2)); then
        mode=query inq=1 before="${2%"$word"}"
    fi
    if [[ -n "$mode" ]]; then
        local -a found
        mapfile -t found < <("${COMP_WORDS[0]}" suggest --kind "$mode" -- "$word" 2>/dev/null)
        if ((${#found[@]})) && [[ -n "$inq" ]]; then
            COMPREPLY=("${found[@]/#/$before}")
            [[ "${found[0]}" == *: ]] && compopt -o nospace 2>/dev/null
            return 0
        fi
        if ((${#found[@]})); then
            local colon="${word%"${word##*:}"}"
            COMPREPLY=("${found[@]#"$colon"}")
            [[ "${found[0]}" == *: ]] && compopt -o nospace 2>/dev/null
            return 0
        fi
    fi
    _covet__logs "$@"
}
complete -F _covet__logs__suggest -o nosort -o bashdefault -o default covet-logs
