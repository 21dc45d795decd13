fn main() {
    std::process::exit(mastiff::cli::run());
}
