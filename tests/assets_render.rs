// Renders every generated asset: (path relative to the repository, bytes).
// Included by examples/gen-assets.rs and tests/assets.rs.

pub fn render() -> Vec<(String, Vec<u8>)> {
    use clap::CommandFactory;
    use clap_complete::Shell;

    let mut out = Vec::new();
    for (shell, file) in [
        (Shell::Bash, "covet-logs.bash"),
        (Shell::Zsh, "_covet-logs"),
        (Shell::Fish, "covet-logs.fish"),
        (Shell::PowerShell, "_covet-logs.ps1"),
        (Shell::Elvish, "covet-logs.elv"),
    ] {
        let mut cmd = covet_logs::cli::Cli::command();
        let mut buf = Vec::new();
        clap_complete::generate(shell, &mut cmd, "covet-logs", &mut buf);
        out.push((format!("completions/{file}"), buf));
    }
    let cmd = covet_logs::cli::Cli::command();
    let mut buf = Vec::new();
    if clap_mangen::Man::new(cmd.clone()).render(&mut buf).is_ok() {
        out.push(("man/covet-logs.1".to_string(), buf));
    }
    for sub in cmd.get_subcommands() {
        let name = format!("covet-logs-{}", sub.get_name());
        let sub = sub
            .clone()
            .name(Box::leak(name.clone().into_boxed_str()) as &str);
        let mut buf = Vec::new();
        if clap_mangen::Man::new(sub).render(&mut buf).is_ok() {
            out.push((format!("man/{name}.1"), buf));
        }
    }
    out
}
