//! The indicator readers on small fictional files.

use super::*;

const CASELOAD_HEAD: &str = "time_period,geographic_level,la_name,old_la_code,breakdown_topic,ehcplans,mainstream_total,ap_pru_total,fe_total,mainstream_la_maintained_resourced_provision,mainstream_la_maintained_senunit,mainstream_academy_resourced_provision,mainstream_academy_senunit,mainstream_free_school_resourced_provision,mainstream_free_school_senunit,special_la_maintained,special_academy_free,special_independent,special_non_maintained\n";

/// A folder of fictional files for two authorities, Northvale (code 901) and Southmere (902).
fn folder(tribunal_rate: &str, timeliness_within: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let w = |name: &str, text: String| std::fs::write(dir.path().join(name), text).unwrap();
    w(
        CASELOAD_FILE,
        format!(
            "{CASELOAD_HEAD}\
             202324,Local authority,Northvale,901,All EHC plans,900,400,10,100,10,10,0,0,0,0,150,50,40,10\n\
             202425,Local authority,Northvale,901,All EHC plans,1000,450,10,100,20,20,0,0,0,0,200,50,60,20\n\
             202425,Local authority,Southmere,902,All EHC plans,500,300,5,50,10,0,0,0,0,0,50,50,10,0\n"
        ),
    );
    w(
        NEW_PLANS_FILE,
        "time_period,geographic_level,la_name,breakdown_topic,breakdown,new_ehc_plans\n\
         2024,Local authority,Northvale,New EHC plans,New EHC plans,120\n\
         2024,Local authority,Southmere,New EHC plans,New EHC plans,x\n"
            .into(),
    );
    w(
        REQUESTS_FILE,
        "time_period,geographic_level,la_name,old_la_code,breakdown_topic,requests_received_in_year,requests_decided_to_assess,requests_decided_not_to_assess\n\
         2023,Local authority,Northvale,901,All requests for EHC needs assessments,10,5,5\n\
         2024,Local authority,Northvale,901,All requests for EHC needs assessments,300,150,50\n\
         2024,Local authority,Southmere,902,All requests for EHC needs assessments,100,60,20\n"
            .into(),
    );
    w(
        TIMELINESS_FILE,
        format!(
            "time_period,geographic_level,la_name,old_la_code,breakdown_topic,plans_issued_den,plans_issued_within_20_weeks\n\
             2024,Local authority,Northvale,901,All EHC plans issued,100,{timeliness_within}\n\
             2024,Local authority,Southmere,902,All EHC plans issued,40,c\n"
        ),
    );
    w(
        TRIBUNAL_FILE,
        format!(
            "\u{feff}\"Table 1: appeal rate\",,,,,,,,\n\
             ,,,,,,,,\n\
             Local Authority,LA code,2023,,,2024,,,\n\
             ,,Appeals registered4,Total Appealable Decisions1,SEND Tribunal Appeal Rate2,Appeals registered4,Total Appealable Decisions1,SEND Tribunal Appeal Rate2,\n\
             NORTH,,,,,,,,\n\
             Northvale3,909,5,\"1,000\",0.50%,20,\"1,000\",{tribunal_rate},\n\
             Southmere,902, - ,400,0.00%, - ,500,0.00%,\n\
             England Total,,1,2,3%,4,5,6%,\n"
        ),
    );
    dir
}

#[test]
fn reads_each_indicator_of_the_latest_year() {
    let dir = folder("2.00%", "70");
    let p = read_published(dir.path()).unwrap();
    assert_eq!(
        (
            p.caseload_january,
            p.flows_year,
            p.timeliness_year,
            p.tribunal_year
        ),
        (2025, 2024, 2024, 2024)
    );
    let n = p.values("NORTHVALE", 20_000).unwrap();
    let want = [
        Some(50.0),
        Some(6.0),
        Some(0.25),
        Some(0.25),
        Some(0.08),
        Some(0.04),
        Some(0.7),
        Some(0.02),
    ];
    for (i, (got, want)) in n.0.iter().zip(want).enumerate() {
        let ok = match (got, want) {
            (Some(g), Some(w)) => (g - w).abs() < 1e-12,
            (g, w) => *g == w,
        };
        assert!(ok, "{:?}: {got:?} vs {want:?}", Indicator::ALL[i]);
    }
    let s = p.values("Southmere", 0).unwrap();
    // No pupils: no rates per 1,000; suppressed counts are blank; a nil appeal count is 0%.
    assert_eq!(s.get(Indicator::PlansPer1000), None);
    assert_eq!(s.get(Indicator::Timeliness20Weeks), None);
    assert_eq!(s.get(Indicator::TribunalAppealRate), Some(0.0));
    assert_eq!(s.get(Indicator::StateSpecialShare), Some(0.2));
    assert!(p.values("Elsewhere", 10).is_none());
}

#[test]
fn a_bad_value_is_located_by_file_row_and_column() {
    let dir = folder("two per cent", "70");
    let err = read_published(dir.path()).unwrap_err();
    assert_eq!(err.diagnostics.len(), 1, "{err:?}");
    let d = &err.diagnostics[0];
    assert!(d.file.ends_with(TRIBUNAL_FILE));
    assert_eq!(
        d.location,
        Location::Row {
            row: 6,
            column: "2024 SEND Tribunal Appeal Rate".into()
        }
    );
    assert!(d.expected.as_deref().unwrap().contains("1.30%"));

    let dir = folder("2.00%", "seventy");
    let err = read_published(dir.path()).unwrap_err();
    let d = &err.diagnostics[0];
    assert!(d.file.ends_with(TIMELINESS_FILE), "{d:?}");
    assert!(
        d.place()
            .ends_with("row 2, column plans_issued_within_20_weeks"),
        "{}",
        d.place()
    );

    std::fs::remove_file(dir.path().join(TRIBUNAL_FILE)).unwrap();
    let err = read_published(dir.path()).unwrap_err();
    assert!(err.diagnostics[0].file.ends_with(TRIBUNAL_FILE));
}

#[test]
fn names_match_across_spellings() {
    assert_eq!(
        name_key("Herefordshire, County of"),
        name_key("Herefordshire")
    );
    assert_eq!(name_key("County Durham"), name_key("Durham"));
    assert_eq!(name_key("St. Helens"), name_key("St Helens"));
    assert_eq!(
        name_key("Bournemouth, Christchurch and Poole5"),
        "bournemouth, christchurch and poole"
    );
    assert_eq!(
        name_key("Kingston Upon Hull, City of"),
        "kingston upon hull"
    );
}

#[test]
fn rates_read_percentages_and_suppression_marks() {
    assert_eq!(rate(" 1.25% "), Ok(Some(0.0125)));
    assert_eq!(rate(" - "), Ok(None));
    assert_eq!(rate(" x "), Ok(None));
    assert_eq!(rate(" .. "), Ok(None));
    assert_eq!(rate("1.3"), Err(()));
    assert_eq!(rate("130%"), Err(()));
}
