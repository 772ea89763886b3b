//! Scratch evaluation while tuning (not part of the product; `ringside eval` is).
use ringside_dsp::*;
fn main() {
    let dir = std::env::args().nth(1).unwrap();
    let filter = std::env::args().nth(2);
    let m: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(format!("{dir}/manifest.json")).unwrap()).unwrap();
    let mut ok = 0; let mut n = 0;
    let mut hd = vec![]; let mut md = vec![]; let mut be = vec![];
    for e in m.as_array().unwrap() {
        let file = e["file"].as_str().unwrap();
        if let Some(f) = &filter { if !file.contains(f.as_str()) { continue; } }
        let label = e["label"].as_str().unwrap();
        let mut r = hound::WavReader::open(format!("{dir}/{file}")).unwrap();
        let s: Vec<f32> = r.samples::<i16>().map(|x| x.unwrap() as f32 / 32768.0).collect();
        let mut d = Detector::new(Config::default()).unwrap();
        let mut evs = vec![];
        for c in s.chunks(160) { evs.extend_from_slice(d.process(c)); }
        evs.extend_from_slice(d.finish());
        let sec = |x: u64| x as f64 / 8000.0;
        let dec = evs.iter().find_map(|e| if let Event::Verdict(d) = e { Some(*d) } else { None }).unwrap();
        let beep = evs.iter().find_map(|e| if let Event::Beep(b) = e { Some(*b) } else { None });
        let v = dec.verdict.as_str();
        let nd = evs.iter().filter(|e| matches!(e, Event::Dtmf(_))).count();
        let has_dtmf = e["conditions"].as_str().unwrap().contains("dtmf");
        if nd > 0 && !has_dtmf { println!("TALKOFF {file} {nd}"); }
        if nd == 0 && has_dtmf { println!("DTMFMISS {file}"); }
        n += 1; if v == label { ok += 1; }
        let mut note = String::new();
        if label == "human" { let t = sec(dec.at) - e["utterances"][0][1].as_f64().unwrap(); hd.push(t); note += &format!(" dt_h={t:.2}"); }
        if label == "machine" { let t = sec(dec.at) - e["speech_start"].as_f64().unwrap(); md.push(t); note += &format!(" dt_m={t:.2}"); }
        let ba = e["beep_at"].as_f64();
        match (beep, ba) {
            (Some(b), Some(t)) => { let err = (sec(b.start) - t) * 1000.0; let err_end = (sec(b.end) - e["beep_end"].as_f64().unwrap())*1000.0; be.push(err.abs()); note += &format!(" beep_err={err:.1}ms end_err={err_end:.1} f={:.0}", b.freq_hz); }
            (Some(b), None) => note += &format!(" FALSEBEEP@{:.2} f={:.0}", sec(b.start), b.freq_hz),
            (None, Some(_)) => { be.push(9999.0); note += " MISSEDBEEP" }
            _ => {}
        }
        let flag = if v != label { "XX" } else { "  " };
        if filter.is_some() || v != label || note.contains("BEEP") || note.contains("9999") || std::env::var("ALL").is_ok() {
            println!("{flag} {file} {label:8} -> {v:8} {:?} at {:.2}{note}  [{}] {}", dec.cause, sec(dec.at), e["conditions"].as_str().unwrap(), e["source"].as_str().unwrap().split('|').last().unwrap());
        }
        if filter.is_some() { for ev in &evs { println!("   {ev:?}"); } }
    }
    let med = |v: &mut Vec<f64>| { v.sort_by(|a,b| a.partial_cmp(b).unwrap()); if v.is_empty() {0.0} else { v[v.len()/2] } };
    let p95 = |v: &Vec<f64>| if v.is_empty() {0.0} else { v[(v.len() as f64 * 0.95) as usize] };
    let ok_beeps = be.iter().filter(|x| **x <= 50.0).count();
    let nb = be.len();
    println!("acc {ok}/{n}  human dt med {:.2}  machine dt med {:.2}  beep ok {ok_beeps}/{nb} med {:.1} p95 {:.1}", med(&mut hd), med(&mut md), med(&mut be), p95(&be));
}
