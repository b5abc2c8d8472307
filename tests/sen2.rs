//! The SEN2 person-level import and export: the round trip on the demo county, no identifier
//! in any output, every error of a broken return located with nothing written, malformed input
//! never a panic, and the Blade CSV export giving the same area as the XML.

use placewise::diag::{Diagnostics, Location};
use placewise::testing::io::sen2::{Module, Record, xml};
use placewise::{ChildId, ListOptions, Sen2ImportOptions, Session};
use std::path::{Path, PathBuf};
use std::process::Command;

const DEMO: &str = "fixtures/demo";
const RETURN: &str = "fixtures/sen2/marlshire.xml";
const BROKEN: &str = "fixtures/sen2/broken.xml";
const SCHOOLS: &str = "fixtures/sen2/schools.csv";

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_placewise"))
}

/// `placewise import sen2 SOURCE` with the fictional school file, into `out`.
fn import_command(source: &str, out: &Path) -> Command {
    let mut c = bin();
    c.args([
        "import",
        "sen2",
        source,
        "--gias",
        SCHOOLS,
        "--la",
        "Marlshire",
        "--out",
    ])
    .arg(out);
    c
}

/// A small seeded generator for the mutation runs.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

fn key_file(dir: &Path) -> PathBuf {
    let k = dir.join("key");
    std::fs::write(&k, "a fictional key for the tests, 32 bytes\n").unwrap();
    k
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn sen2_round_trip_on_the_demo_county() {
    let tmp = tempfile::tempdir().unwrap();
    let xml = tmp.path().join("demo.xml");
    let exported = placewise::export_sen2(Path::new(DEMO), &xml, "").unwrap();
    let out = tmp.path().join("back");
    let options = Sen2ImportOptions::from_area(&xml, Path::new(DEMO), &out).keep_ids();
    let imported = placewise::import_sen2(&options).unwrap();
    assert_eq!(imported.summary.imported, exported.persons);
    assert!(imported.generated_key.is_none());

    let before = Session::open(Path::new(DEMO)).unwrap();
    let after = Session::open(&out).unwrap();
    let with_plan: Vec<_> = before
        .area()
        .children
        .iter()
        .filter(|c| c.plan_level != "sen-support")
        .cloned()
        .collect();
    assert_eq!(with_plan.len(), exported.persons);
    assert_eq!(
        after.area().children,
        with_plan,
        "the same children come back"
    );
    assert_eq!(after.area().settings, before.area().settings);
    for id in ["C0001", "C0003", "C0008", "C0014", "C0018"] {
        let id = ChildId::from(id);
        let a = before.list(&id, ListOptions::new(8).unwrap()).unwrap();
        let b = after.list(&id, ListOptions::new(8).unwrap()).unwrap();
        assert_eq!(a, b, "the same tailored list for {id}");
    }
}

/// Everything that identifies a person in the fixture return.
const PLANTED: [&str; 31] = [
    "Quillfeather",
    "Ottoline",
    "A123456789012",
    "9876543210",
    "2015-03-14",
    "ZX1 2QP",
    "ZX12QP",
    "Brightwater",
    "Ezekiel",
    "B223456789012",
    "2012-11-02",
    "ZX4 9YY",
    "Marchbanks",
    "Philippa",
    "C323456789012",
    "2010-06-30",
    "ZX2 1XY",
    "Ashdown",
    "D423456789012",
    "2018-05-05",
    "ZX1 1ZZ",
    "Cartwright",
    "E523456789012",
    "Oakenshaw",
    "Delphine",
    "5566778899",
    "2016-10-09",
    "Fairweather",
    "L823456789012",
    "2008-04-22",
    "ZX1 4AB",
];

fn assert_no_identifier(what: &str, text: &str) {
    for p in PLANTED {
        assert!(!text.contains(p), "{what} holds the identifier `{p}`");
    }
}

#[test]
fn sen2_import_writes_no_identifier_anywhere() {
    let tmp = tempfile::tempdir().unwrap();
    let key = key_file(tmp.path());
    for (run, extra) in [
        (
            "keyed",
            vec!["--key-file".to_string(), key.display().to_string()],
        ),
        ("random", vec![]),
    ] {
        let out = tmp.path().join(run);
        let o = import_command(RETURN, &out).args(&extra).output().unwrap();
        let stdout = String::from_utf8_lossy(&o.stdout);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(o.status.success(), "{stdout}\n{stderr}");
        assert_no_identifier("stdout", &stdout);
        assert_no_identifier("stderr", &stderr);
        assert_eq!(stdout.contains("--key-file:"), run == "random", "{stdout}");
        let files = files_under(&out);
        assert!(files.len() >= 6, "{files:?}");
        for f in files {
            let text = String::from_utf8_lossy(&std::fs::read(&f).unwrap()).into_owned();
            assert_no_identifier(&f.display().to_string(), &text);
        }
        let children = std::fs::read_to_string(out.join("children.csv")).unwrap();
        assert_eq!(children.lines().count(), 1 + 6, "{children}");
        assert!(!children.contains(",101,") && !children.contains("\n101,"));
        let quality = std::fs::read_to_string(out.join("sen2-quality.txt")).unwrap();
        assert!(quality.contains("persons read: 8"), "{quality}");
        assert!(quality.contains("1 plan ceased"), "{quality}");
        assert!(quality.contains("marlshire.xml:"), "{quality}");
        assert!(quality.contains("(Person[5])"), "{quality}");
        assert!(quality.contains("district"), "{quality}");
    }
    // A key too short, and ids kept from a return that has none, are refused.
    std::fs::write(tmp.path().join("short"), "short").unwrap();
    let short = Sen2ImportOptions::from_school_file(
        Path::new(RETURN),
        Path::new(SCHOOLS),
        "Marlshire",
        &tmp.path().join("never"),
    )
    .key_file(&tmp.path().join("short"));
    assert!(short.unwrap_err().to_string().contains("at least 16"));
    let xml = std::fs::read_to_string(RETURN).unwrap();
    let no_ids = tmp.path().join("no-ids.xml");
    std::fs::write(
        &no_ids,
        xml.replace("<PersonTableID>101</PersonTableID>", ""),
    )
    .unwrap();
    let never = tmp.path().join("never");
    let kept =
        Sen2ImportOptions::from_school_file(&no_ids, Path::new(SCHOOLS), "Marlshire", &never)
            .keep_ids();
    let d = placewise::import_sen2(&kept).unwrap_err();
    assert!(
        d.diagnostics[0]
            .to_string()
            .contains("no person id to keep"),
        "{d:?}"
    );
    assert!(!never.exists());
    // The same key gives the same ids.
    let again = tmp.path().join("again");
    let options = Sen2ImportOptions::from_school_file(
        Path::new(RETURN),
        Path::new(SCHOOLS),
        "Marlshire",
        &again,
    )
    .key_file(&key)
    .unwrap();
    placewise::import_sen2(&options).unwrap();
    assert_eq!(
        std::fs::read(again.join("children.csv")).unwrap(),
        std::fs::read(tmp.path().join("keyed").join("children.csv")).unwrap()
    );
    // An imported area loads, out-of-area settings its children attend included.
    let s = Session::open(&again).unwrap();
    assert!(s.area().settings.iter().any(|x| x.id.0 == "910401"));
    assert!(!s.area().settings.iter().any(|x| x.id.0 == "910101"));
    // A placement given by UKPRN is matched to the college with that UKPRN in the school file.
    assert!(
        s.area()
            .children
            .iter()
            .any(|c| c.current_setting.as_ref().is_some_and(|x| x.0 == "900601"))
    );
}

fn located(d: &Diagnostics) {
    for x in &d.diagnostics {
        match &x.location {
            Location::Text { line, column, .. } => assert!(*line > 0 && *column > 0, "{x}"),
            Location::Row { row, column } => assert!(*row > 0 && !column.is_empty(), "{x}"),
            _ => panic!("not located: {x}"),
        }
    }
}

#[test]
fn sen2_broken_return_every_error_located_nothing_written() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("area");
    let options = Sen2ImportOptions::from_school_file(
        Path::new(BROKEN),
        Path::new(SCHOOLS),
        "Marlshire",
        &out,
    );
    let d = placewise::import_sen2(&options).unwrap_err();
    located(&d);
    let text: Vec<String> = d.diagnostics.iter().map(|x| x.to_string()).collect();
    let all = text.join("\n");
    let expect = [
        (
            "rank 1 repeats",
            "Person[1]/Requests[1]/ActivePlans[1]/PlacementDetail[2]/placementrank",
        ),
        ("unknown SEN type `ASDD`", "did you mean `ASD`?"),
        (
            "no URN, UKPRN or SEN setting",
            "Person[2]/Requests[1]/ActivePlans[1]/PlacementDetail[1]",
        ),
        ("unknown SEN setting `EHEE`", "did you mean `EHE`?"),
        ("URN `900199` is not a setting", "Person[3]"),
        ("dates out of order", "leavingdate"),
        ("not a date", "Person[4]/personbirthdate"),
        ("unknown sex `Q`", "Person[4]/sex"),
        ("unknown cease reason `12`", "ceasereason"),
        ("unknown element `SENtyp`", "did you mean `sentype`?"),
    ];
    for (message, place) in expect {
        assert!(
            text.iter()
                .any(|t| t.contains(message) && t.contains(place)),
            "no `{message}` at `{place}` in:\n{all}"
        );
    }
    assert!(!out.exists(), "nothing is written");
    // The command line: exit 1, every error printed, nothing written.
    let o = import_command(BROKEN, &out).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("broken.xml:"), "{stderr}");
    assert!(!out.exists());
    assert!(
        std::fs::read_dir(tmp.path()).unwrap().count() == 0,
        "no partial folder"
    );
}

#[test]
fn sen2_malformed_or_not_utf8_is_located_never_a_panic() {
    let tmp = tempfile::tempdir().unwrap();
    let good = std::fs::read(RETURN).unwrap();
    let mut cases: Vec<Vec<u8>> = vec![
        good[..good.len() / 2].to_vec(),
        [&good[..400], b"\xff\xfe".as_slice(), &good[400..]].concat(),
        [&good[..500], b"<Oops>".as_slice(), &good[500..]].concat(),
        [&good[..600], b"&nbsp;".as_slice(), &good[600..]].concat(),
        b"".to_vec(),
        b"not xml at all".to_vec(),
    ];
    // A bounded, seeded mutation run: bytes changed, cut or repeated.
    let mut rng = Lcg(0x5EED_5E42);
    let mut next = |n: usize| rng.below(n);
    for _ in 0..200 {
        let mut b = good.clone();
        for _ in 0..1 + next(3) {
            let at = next(b.len());
            match next(3) {
                0 => b[at] = next(256) as u8,
                1 => {
                    let end = (at + next(40)).min(b.len());
                    b.drain(at..end);
                }
                _ => {
                    let end = (at + next(40)).min(b.len());
                    let piece = b[at..end].to_vec();
                    b.splice(at..at, piece);
                }
            }
        }
        cases.push(b);
    }
    for (i, bytes) in cases.iter().enumerate() {
        let path = tmp.path().join(format!("case{i}.xml"));
        std::fs::write(&path, bytes).unwrap();
        let out = tmp.path().join(format!("out{i}"));
        let options =
            Sen2ImportOptions::from_school_file(&path, Path::new(SCHOOLS), "Marlshire", &out)
                .key_file(&key_file(tmp.path()))
                .unwrap();
        match placewise::import_sen2(&options) {
            Ok(_) => assert!(out.join("children.csv").exists()),
            Err(d) => {
                assert!(!d.is_empty());
                if i < 4 {
                    located(&d);
                }
                assert!(!out.exists(), "case {i}: nothing written on an error");
            }
        }
    }
}

/// The Blade export of a return held as records: one CSV per module, rows linked by table ids,
/// dates written the Blade way (`2019-Sep-20 00:00:00`).
fn write_blade(persons: &[Record], header: &Record, dir: &Path) {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    fn blade_value(item: &str, text: &str) -> String {
        let dated = item.ends_with("date") && text.len() == 10 && text.as_bytes()[4] == b'-';
        if dated {
            let m: usize = text[5..7].parse().unwrap();
            format!("{}-{}-{} 00:00:00", &text[..4], MONTHS[m - 1], &text[8..])
        } else {
            text.to_string()
        }
    }
    let mut rows: std::collections::BTreeMap<Module, Vec<Vec<String>>> = Default::default();
    let mut next_id = 1000;
    fn walk(
        r: &Record,
        parent: Option<String>,
        rows: &mut std::collections::BTreeMap<Module, Vec<Vec<String>>>,
        next_id: &mut u32,
    ) {
        *next_id += 1;
        let own = r
            .module
            .table_id()
            .and_then(|c| r.text(c).map(str::to_string))
            .unwrap_or_else(|| next_id.to_string());
        let mut row = vec![own.clone(), parent.unwrap_or_default()];
        for item in r.module.items().iter().skip(1) {
            row.push(
                r.text(item)
                    .map(|t| blade_value(item, t))
                    .unwrap_or_default(),
            );
        }
        rows.entry(r.module).or_default().push(row);
        for c in &r.children {
            walk(c, Some(own.clone()), rows, next_id);
        }
    }
    for p in persons {
        walk(p, None, &mut rows, &mut next_id);
    }
    for m in Module::ALL {
        let mut w = csv::Writer::from_path(dir.join(format!("{}.csv", m.blade_name()))).unwrap();
        if m == Module::Header {
            let items = m.items();
            w.write_record(
                items
                    .iter()
                    .map(|s| s.to_string())
                    .chain(["NativeId".into()]),
            )
            .unwrap();
            w.write_record(
                items
                    .iter()
                    .map(|i| {
                        header
                            .text(i)
                            .map(|t| blade_value(i, t))
                            .unwrap_or_default()
                    })
                    .chain(["1".into()]),
            )
            .unwrap();
        } else {
            let mut head = vec![m.table_id().unwrap().to_string()];
            head.push(
                m.parent()
                    .and_then(Module::table_id)
                    .unwrap_or("sen2tableid")
                    .to_string(),
            );
            head.extend(m.items().iter().skip(1).map(|s| s.to_string()));
            w.write_record(&head).unwrap();
            for r in rows.get(&m).into_iter().flatten() {
                w.write_record(r).unwrap();
            }
        }
        w.flush().unwrap();
    }
}

#[test]
fn sen2_blade_export_gives_the_same_area_as_the_xml() {
    let tmp = tempfile::tempdir().unwrap();
    let key = key_file(tmp.path());
    let ret = xml::read_xml(Path::new(RETURN)).unwrap();
    assert!(ret.diagnostics.is_empty());
    let blade = tmp.path().join("blade");
    std::fs::create_dir(&blade).unwrap();
    write_blade(&ret.persons, ret.header.as_ref().unwrap(), &blade);
    let mut areas = Vec::new();
    for (name, source) in [
        ("from-xml", Path::new(RETURN)),
        ("from-blade", blade.as_path()),
    ] {
        let out = tmp.path().join(name);
        let options =
            Sen2ImportOptions::from_school_file(source, Path::new(SCHOOLS), "Marlshire", &out)
                .key_file(&key)
                .unwrap();
        let done = placewise::import_sen2(&options).unwrap_or_else(|d| panic!("{name}: {d:?}"));
        assert_eq!(done.summary.imported, 6);
        areas.push(out);
    }
    for f in ["children.csv", "settings.csv", "pools.csv"] {
        assert_eq!(
            std::fs::read_to_string(areas[0].join(f)).unwrap(),
            std::fs::read_to_string(areas[1].join(f)).unwrap(),
            "{f}"
        );
    }
    // The same summary, but for where in each file the persons left out are.
    let counts = |dir: &Path| -> Vec<String> {
        std::fs::read_to_string(dir.join("sen2-quality.txt"))
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with("    at "))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(counts(&areas[0]), counts(&areas[1]));
    let blade_quality = std::fs::read_to_string(areas[1].join("sen2-quality.txt")).unwrap();
    assert!(
        blade_quality.contains("person.csv: row 6\n"),
        "{blade_quality}"
    );
    // Mutated Blade files: a located error or an area, never a panic, nothing written on
    // an error.
    let mut rng = Lcg(0xB1ADE);
    let mut next = |n: usize| rng.below(n);
    let originals: Vec<(PathBuf, Vec<u8>)> = Module::ALL
        .iter()
        .map(|m| {
            let p = blade.join(format!("{}.csv", m.blade_name()));
            let b = std::fs::read(&p).unwrap();
            (p, b)
        })
        .collect();
    for i in 0..60 {
        let (path, bytes) = &originals[next(originals.len())];
        let mut b = bytes.clone();
        let at = next(b.len());
        match next(3) {
            0 => b[at] = [b',', b'"', b'\n', 0xff, b'9'][next(5)],
            1 => {
                let end = (at + next(30)).min(b.len());
                b.drain(at..end);
            }
            _ => b
                .splice(at..at, b"\xc3\x28,\"".iter().copied())
                .for_each(drop),
        }
        std::fs::write(path, &b).unwrap();
        let out = tmp.path().join(format!("fuzz{i}"));
        let options =
            Sen2ImportOptions::from_school_file(&blade, Path::new(SCHOOLS), "Marlshire", &out)
                .key_file(&key)
                .unwrap();
        match placewise::import_sen2(&options) {
            Ok(_) => assert!(out.join("children.csv").exists()),
            Err(d) => {
                assert!(!d.is_empty());
                assert!(!out.exists(), "case {i}: nothing written on an error");
            }
        }
        std::fs::write(path, bytes).unwrap();
    }
    // A Blade row whose parent is missing is located by file, row and column.
    let need = blade.join("senneed.csv");
    let text = std::fs::read_to_string(&need).unwrap();
    let broken = text.replacen("\n", "\n9999,77777,SEMH,1\n", 1);
    std::fs::write(&need, broken).unwrap();
    let out = tmp.path().join("orphan");
    let options =
        Sen2ImportOptions::from_school_file(&blade, Path::new(SCHOOLS), "Marlshire", &out)
            .key_file(&key)
            .unwrap();
    let d = placewise::import_sen2(&options).unwrap_err();
    located(&d);
    let first = &d.diagnostics[0];
    assert!(first.file.ends_with("senneed.csv"), "{first}");
    assert_eq!(
        first.location,
        Location::Row {
            row: 2,
            column: "activeplanstableid".into()
        }
    );
    assert!(!out.exists());
}
