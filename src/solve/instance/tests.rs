use super::*;

fn read(text: &str) -> Result<PlacementProblem, InstanceError> {
    read_instance(text.as_bytes())
}

fn line_of(e: InstanceError) -> (usize, String) {
    match e {
        InstanceError::Parse { line, message } => (line, message),
        InstanceError::Io { .. } => panic!("unexpected I/O error"),
    }
}

#[test]
fn round_trip_keeps_every_field() {
    let mut problem = generate(50, 6, 4, CostModel::Uniform, 3);
    problem.children[3].sibling_group = Some(7);
    problem.children[4].unplaced_cost = -5;
    let mut text = Vec::new();
    write_instance(&problem, &mut text).unwrap();
    assert_eq!(read_instance(&text[..]).unwrap(), problem);
    // Windows line endings are accepted too.
    let crlf = String::from_utf8(text).unwrap().replace('\n', "\r\n");
    assert_eq!(read(&crlf).unwrap(), problem);
}

#[test]
fn empty_problem_round_trips() {
    let mut text = Vec::new();
    write_instance(&PlacementProblem::default(), &mut text).unwrap();
    assert_eq!(
        text,
        b"placewise-instance v1 children 0 pools 0 candidates 0\n"
    );
    assert_eq!(
        read_instance(&text[..]).unwrap(),
        PlacementProblem::default()
    );
}

#[test]
fn errors_name_the_line() {
    let ok = "placewise-instance v1 children 2 pools 1 candidates 2\nP 1 0 0 1\nC 100 -\nC 100 3\nA 0 0 5 20000\nA 1 0 6 20000\n";
    read(ok).unwrap();
    let cases: &[(&str, usize, &str)] = &[
        ("", 1, "empty input"),
        (
            "placewise-instance v2 children 0 pools 0 candidates 0\n",
            1,
            "version",
        ),
        ("hello\n", 1, "expected the header"),
        (
            "placewise-instance v1 children x pools 0 candidates 0\n",
            1,
            "children",
        ),
        (
            "placewise-instance v1 children 1 pools 1 candidates 0\nC 1 -\n",
            2,
            "`P` line",
        ),
        (
            "placewise-instance v1 children 0 pools 1 candidates 0\nP 1 0 0\n",
            2,
            "4 fields",
        ),
        (
            "placewise-instance v1 children 0 pools 1 candidates 0\nP -1 0 0 1\n",
            2,
            "free",
        ),
        (
            "placewise-instance v1 children 0 pools 1 candidates 0\nP 1 0 0 2\n",
            2,
            "mainstream",
        ),
        (
            "placewise-instance v1 children 1 pools 0 candidates 0\nC 1 x\n",
            2,
            "sibling_group",
        ),
        (
            "placewise-instance v1 children 1 pools 0 candidates 0\n",
            2,
            "end of input",
        ),
        (
            "placewise-instance v1 children 1 pools 1 candidates 1\nP 1 0 0 1\nC 9 -\nA 1 0 1 1\n",
            4,
            "child 1 is out of range",
        ),
        (
            "placewise-instance v1 children 1 pools 1 candidates 1\nP 1 0 0 1\nC 9 -\nA 0 4 1 1\n",
            4,
            "pool 4 is out of range",
        ),
        (
            "placewise-instance v1 children 1 pools 1 candidates 1\nP 1 0 0 1\nC 9 -\nA 0 0 99999999999999999999 1\n",
            4,
            "cost",
        ),
        (
            "placewise-instance v1 children 1 pools 2 candidates 2\nP 1 0 0 1\nP 1 0 0 1\nC 9 -\nA 0 1 1 1\nA 0 0 1 1\n",
            6,
            "sorted",
        ),
        (
            "placewise-instance v1 children 1 pools 1 candidates 2\nP 1 0 0 1\nC 9 -\nA 0 0 1 1\nA 0 0 1 1\n",
            5,
            "repeats",
        ),
        (
            "placewise-instance v1 children 0 pools 0 candidates 0\nA 0 0 1 1\n",
            2,
            "unexpected line",
        ),
    ];
    for &(text, line, needle) in cases {
        let (l, m) = line_of(read(text).unwrap_err());
        assert_eq!(l, line, "{text:?}: {m}");
        assert!(m.contains(needle), "{text:?}: `{m}` lacks `{needle}`");
    }
}

#[test]
fn generator_is_deterministic_and_well_formed() {
    for costs in [CostModel::Geo, CostModel::Uniform] {
        let a = generate(300, 20, 6, costs, 11);
        assert_eq!(a, generate(300, 20, 6, costs, 11));
        assert_ne!(a, generate(300, 20, 6, costs, 12));
        assert_eq!(a.children.len(), 300);
        assert_eq!(a.pools.len(), 20);
        assert_eq!(a.candidates.len(), 300 * 6);
        assert!(
            a.candidates
                .windows(2)
                .all(|w| (w[0].child, w[0].pool) < (w[1].child, w[1].pool))
        );
        let free: u32 = a.pools.iter().map(|p| p.free).sum();
        assert!((200..=340).contains(&free), "{free} free places");
    }
    // More candidates per child than pools: every pool, once.
    let small = generate(5, 3, 10, CostModel::Uniform, 1);
    assert_eq!(small.candidates.len(), 15);
    assert_eq!(generate(4, 0, 3, CostModel::Geo, 1).candidates.len(), 0);
    assert_eq!(CostModel::from_str("geo"), Ok(CostModel::Geo));
    assert_eq!(CostModel::Uniform.to_string(), "uniform");
    assert!(CostModel::from_str("flat").is_err());
}

#[test]
fn grid_nearest_matches_a_full_scan() {
    let mut rng = Rng(5);
    for n in [1usize, 2, 7, 50, 400] {
        let points: Vec<(f64, f64)> = (0..n).map(|_| (rng.unit(), rng.unit())).collect();
        let grid = Grid::new(&points);
        let mut out = Vec::new();
        for _ in 0..50 {
            let (x, y) = (rng.unit(), rng.unit());
            for k in [1usize, 3, 20, n] {
                let k = k.min(n);
                grid.nearest(&points, x, y, k, &mut out);
                let mut all: Vec<(f64, u32)> = points
                    .iter()
                    .enumerate()
                    .map(|(i, &(px, py))| (((px - x).powi(2) + (py - y).powi(2)).sqrt(), i as u32))
                    .collect();
                all.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                all.truncate(k);
                assert_eq!(out, all, "n {n} k {k}");
            }
        }
    }
}
