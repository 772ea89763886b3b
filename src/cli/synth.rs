//! `ringside synth RECIPE... --count N --seed S --out DIR [--speech DIR]`: make a labelled
//! set of calls from far-end recipes.
//!
//! Call `k` (from 0) is drawn from recipe `k mod R` with its own stream of the seed, so a
//! call does not depend on `--count`, and the same recipes and seed give byte-identical
//! files. Writes `DIR/NNNN_RECIPE.wav` and `DIR/manifest.json` (the format `ringside eval`
//! reads). Exit status: 0, or 2 when a recipe, a speech file or the output cannot be used.

use std::path::PathBuf;

use anyhow::Context as _;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use ringside_sim::synth::manifest::entry;
use ringside_sim::synth::{write_manifest, write_wav};
use ringside_sim::{Recipe, Rng, SpeechLibrary};

use super::Status;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Far-end recipes (JSON, see docs/recipes.md); calls are spread evenly over them.
    #[arg(value_name = "RECIPE", required = true)]
    recipes: Vec<PathBuf>,

    /// How many calls to write (at least 1).
    #[arg(long, value_name = "N", default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(1..))]
    count: u64,

    /// Seed of every draw: the same recipes and seed give the same files.
    #[arg(long, value_name = "S", default_value_t = 1)]
    seed: u64,

    /// Where to write the WAV files and manifest.json (created if missing).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,

    /// Your own speech recordings (any format `detect` reads: WAV, G.711, MP3, FLAC, Ogg,
    /// M4A; any rate), sorted by subfolder or name prefix:
    /// greetings/, answers/, names/, long/, ivr/, announcements/ (or greeting_*.wav, ...).
    /// Default: the clips in fixtures/speech.
    #[arg(long, value_name = "DIR")]
    speech: Option<PathBuf>,
}

pub fn run(args: &Args) -> anyhow::Result<Status> {
    let mut recipes = Vec::new();
    let mut problems = Vec::new();
    for path in &args.recipes {
        match Recipe::load(path) {
            Ok(r) => recipes.push(r),
            Err(e) => problems.push(e.to_string()),
        }
    }
    if !problems.is_empty() {
        for p in &problems {
            eprintln!("error: {p}");
        }
        return Ok(Status::BadInput);
    }
    let speech_dir = args
        .speech
        .clone()
        .unwrap_or_else(ringside_sim::synth::speech::default_dir);
    let lib = SpeechLibrary::load(&speech_dir)?;
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("{}: cannot create the folder", args.out.display()))?;

    let bar = ProgressBar::with_draw_target(Some(args.count), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} calls, {elapsed} (eta {eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let width = args.count.max(1).to_string().len().max(4);
    let mut entries = Vec::new();
    let mut seconds = 0.0;
    for k in 0..args.count {
        let recipe = &recipes[(k % recipes.len() as u64) as usize];
        let plan = recipe.draw(Rng::for_call(args.seed, k).next_u64());
        let call = plan
            .render(&lib)
            .with_context(|| format!("call {} from recipe {}", k + 1, recipe.name))?;
        let file = format!("{:0width$}_{}.wav", k + 1, recipe.name);
        write_wav(&args.out.join(&file), &call)?;
        seconds += call.samples.len() as f64 / f64::from(call.rate_hz);
        entries.push(entry(&file, &call, &recipe.name, &recipe.tags));
        bar.inc(1);
    }
    bar.finish_and_clear();
    let manifest = args.out.join("manifest.json");
    write_manifest(&manifest, &entries)?;
    println!(
        "wrote {} calls ({:.1} s of audio) and {}",
        entries.len(),
        seconds,
        manifest.display()
    );
    Ok(Status::Success)
}
