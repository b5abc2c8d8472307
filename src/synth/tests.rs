//! Tests of the importer, the SEN2 reader, the writer and the invented county on small
//! hand-written inputs (no shared data needed).

use super::*;
use crate::diag::{Code, Location};
use crate::model::{Admits, Need, SettingKind};
use std::path::PathBuf;

fn rules() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("rules/england")
}

/// A small file with official GIAS column names, an ignored column, and one Latin-1 name.
fn official_gias() -> Vec<u8> {
    let header = "URN,EstablishmentName,LA (code),LA (name),TypeOfEstablishment (name),EstablishmentStatus (name),PhaseOfEducation (name),StatutoryLowAge,StatutoryHighAge,Gender (name),Easting,Northing,NumberOfPupils,SchoolCapacity,SEN1 (name),SEN2 (name),SEN3 (name),TypeOfResourcedProvision (name),ResourcedProvisionCapacity,ResourcedProvisionOnRoll,SenUnitCapacity,SenUnitOnRoll,Town,HeadLastName\n";
    let rows = [
        "900001,Brook Primary School,999,Testshire,Community school,Open,Primary,4,11,Mixed,350000,300000,210,210,ASD - Autistic Spectrum Disorder,,,Resourced provision,12,10,,,Testbury,Smith\n",
        "900002,Hill Special School,999,Testshire,Community special school,Open,Not applicable,2,19,Mixed,352000,301000,120,130,SLD - Severe Learning Difficulty,PMLD - Profound and Multiple Learning Difficulty,BESD - Behaviour Emotional and Social Difficulties,Not applicable,,,,,Testbury,Jones\n",
        "900003,Girls' High School,999,Testshire,Academy converter,Open,Secondary,11,18,Girls,351000,299000,900,950,,,,SEN unit,,,8,8,Testbury,Brown\n",
        "900004,Old School,999,Testshire,Community school,Closed,Primary,4,11,Mixed,,,0,0,,,,,,,,,Testbury,Grey\n",
        "400001,Ysgol Gymraeg,660,Wrexham,Welsh establishment,Open,Not applicable,3,11,Mixed,330000,340000,100,100,,,,,,,,,Wrexham,Evans\n",
    ];
    let mut bytes = header.as_bytes().to_vec();
    for r in rows {
        bytes.extend_from_slice(r.as_bytes());
    }
    // "Ecole Saint-Étienne" in Latin-1: É is the single byte 0xC9.
    bytes.extend_from_slice(b"900005,Ecole Saint-\xC9tienne,999,Testshire,Academy converter,Open,Primary,4,11,Mixed,349000,301500,180,210,,,,Not applicable,,,,,Testbury,Martin\n");
    bytes
}

fn write_file(dir: &std::path::Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn official_gias_columns_are_read_and_their_designations_and_bases_used() {
    let tmp = tempfile::tempdir().unwrap();
    let file = write_file(tmp.path(), "gias.csv", &official_gias());
    let options = BuildOptions {
        sen_support_share: 0.0,
        ..BuildOptions::default()
    };
    let built = build_area(&file, None, &["testshire".into()], &options).expect("builds");
    let get = |id: &str| {
        built
            .provision
            .settings
            .iter()
            .find(|s| s.id.0 == id)
            .expect(id)
    };
    let rp = get("900001-RP");
    assert_eq!(rp.kind, SettingKind::ResourcedProvision);
    assert_eq!(rp.host.as_ref().unwrap().0, "900001");
    assert_eq!(rp.pools[0].capacity, 12);
    assert_eq!(rp.pools[0].on_roll, 10);
    assert!(rp.designations.contains(Need::Asd));
    let special = get("900002");
    assert_eq!(special.kind, SettingKind::SpecialMaintained);
    assert_eq!(special.designations.joined(), "SLD;PMLD;SEMH");
    assert_eq!((special.first_year.0, special.last_year.0), (0, 14));
    let girls = get("900003");
    assert_eq!(girls.admits, Admits::Girls);
    assert_eq!((girls.first_year.0, girls.last_year.0), (7, 13));
    assert_eq!(get("900003-UN").kind, SettingKind::SenUnit);
    assert_eq!(get("900005").name, "Ecole Saint-Étienne");
    assert_eq!(get("900001").locality, "Testbury");
    assert!(
        built
            .provision
            .settings
            .iter()
            .all(|s| s.id.0 != "900004" && s.id.0 != "400001")
    );
    assert!(built.cohort.children.iter().any(|c| c.plan_level == "ehcp"));
    assert!(built.assumptions().any(|a| a.topic == "figures"));
    // Written and read back.
    let dir = tmp.path().join("area");
    write::write_area(&dir, &built.files()).unwrap();
    let loaded = crate::io::load_area(&dir, &rules()).expect("the written area loads");
    let mut settings = built.provision.settings.clone();
    settings.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(loaded.area.settings, settings);
    assert_eq!(loaded.area.children, built.cohort.children);
}

#[test]
fn bad_rows_are_located_and_nothing_is_built() {
    let tmp = tempfile::tempdir().unwrap();
    let text = String::from_utf8_lossy(&official_gias())
        .replace("ASD - Autistic Spectrum Disorder", "ASDD - Autism")
        .replace(",Girls,", ",Gilrs,")
        .replace("352000", "east");
    let file = write_file(tmp.path(), "bad.csv", text.as_bytes());
    let err = build_area(&file, None, &["Testshire".into()], &BuildOptions::default())
        .expect_err("bad rows are errors");
    let found: Vec<(usize, String, Code)> = err
        .diagnostics
        .iter()
        .map(|d| match &d.location {
            Location::Row { row, column } => (*row, column.clone(), d.code),
            other => panic!("not located: {other:?}"),
        })
        .collect();
    assert!(
        found.contains(&(2, "SEN1 (name)".into(), Code::UnknownCode)),
        "{found:?}"
    );
    assert!(
        found.contains(&(3, "Easting".into(), Code::InvalidValue)),
        "{found:?}"
    );
    assert!(
        found.contains(&(4, "Gender (name)".into(), Code::InvalidValue)),
        "{found:?}"
    );
    let help_on = |field: &str| {
        let d = err.diagnostics.iter().find(|d| d.field == field);
        d.expect(field).help.as_deref()
    };
    assert_eq!(help_on("SEN1 (name)"), Some("did you mean `ASD`?"));
    assert_eq!(help_on("Gender (name)"), Some("did you mean `Girls`?"));

    // A missing column and an unknown authority.
    let file = write_file(tmp.path(), "nocol.csv", b"URN,EstablishmentName,LA (name),Eastin,Northing,PhaseOfEducation (name)\n1,A,X,1,2,Primary\n");
    let err = build_area(&file, None, &["X".into()], &BuildOptions::default()).unwrap_err();
    assert_eq!(err.diagnostics[0].code, Code::MissingColumn);
    assert!(
        err.diagnostics[0]
            .help
            .as_deref()
            .unwrap_or("")
            .contains("Eastin")
    );
    let good = write_file(tmp.path(), "good.csv", &official_gias());
    let err = build_area(&good, None, &["Testshir".into()], &BuildOptions::default()).unwrap_err();
    assert_eq!(err.diagnostics[0].code, Code::UnknownReference);
    assert_eq!(
        err.diagnostics[0].help.as_deref(),
        Some("did you mean `Testshire`?")
    );
}

#[test]
fn sen2_suppressed_and_unknown_needs_are_handled() {
    let tmp = tempfile::tempdir().unwrap();
    let header = "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,new_la_code,old_la_code,la_name,breakdown_topic,breakdown,ehc_plans,number_asd,number_hi,number_mld,number_msi,number_oth,number_pd,number_pmld,number_semh,number_slcn,number_sld,number_spld,number_vi,number_need_unknown\n";
    let body = "202425,Academic year,Local authority,E,England,R,Reg,E1,999,Testshire,Type of placement,Mainstream - academy,10,4,0,0,0,0,0,0,2,2,0,0,0,2\n\
202425,Academic year,Local authority,E,England,R,Reg,E1,999,Testshire,Type of placement,Special - LA maintained,7,x,x,x,x,x,x,x,x,x,x,x,x,x\n\
202425,Academic year,Local authority,E,England,R,Reg,E1,999,Testshire,Type of placement,Special - total,7,x,x,x,x,x,x,x,x,x,x,x,x,x\n\
202425,Academic year,Local authority,E,England,R,Reg,E1,999,Testshire,All EHC plans,All EHC plans,17,4,0,0,0,0,0,0,2,2,0,0,0,2\n";
    write_file(
        tmp.path(),
        stats::NEED_FILE,
        format!("{header}{body}").as_bytes(),
    );
    let r = read_sen2(tmp.path(), 2025).expect("reads");
    let f = r.find("testshire").expect("found by name");
    assert_eq!(f.table.total(), 17);
    assert_eq!(f.table.placement_total(Placement::SpecialMaintained), 7);
    assert_eq!(f.table.unknown(), 2);
    let known = f.table.without_unknown(&f.table.need_mix());
    assert_eq!(known.get(Placement::Mainstream, Need::Asd), 5);
    assert!(r.assumptions.iter().any(|a| a.topic == "sen2-suppressed"));
    assert!(r.assumptions.iter().any(|a| a.topic == "new-plans"));
    assert!(
        read_sen2(tmp.path(), 2024).is_err(),
        "no January 2024 figures in the file"
    );
    // A bad count is located.
    write_file(
        tmp.path(),
        stats::NEED_FILE,
        format!("{header}{}", body.replace(",10,4,", ",10,four,")).as_bytes(),
    );
    let err = read_sen2(tmp.path(), 2025).unwrap_err();
    assert_eq!(
        err.diagnostics[0].location,
        Location::Row {
            row: 2,
            column: "number_asd".into()
        }
    );
}

#[test]
fn the_invented_county_reproduces_its_figures_and_is_deterministic() {
    let built = county::build_county(1, 0.1);
    let again = county::build_county(1, 0.1);
    assert!(
        built.cohort.children == again.cohort.children
            && built.provision.settings == again.provision.settings
    );
    assert!(county::build_county(2, 0.1).cohort.children != built.cohort.children);
    assert!(
        (140..=170).contains(&built.provision.settings.len()),
        "{}",
        built.provision.settings.len()
    );
    let plans: Vec<_> = built
        .cohort
        .children
        .iter()
        .filter(|c| c.plan_level == "ehcp")
        .collect();
    assert_eq!(plans.len() as u64, county::COUNTY_PLANS);
    // Children in settings of each kind: exactly the scaled national counts.
    let want = LaFigures::national_2025().scaled(county::COUNTY, county::COUNTY_PLANS);
    let table = want.table.without_unknown(&want.table.need_mix());
    for kind in [
        SettingKind::SpecialMaintained,
        SettingKind::SpecialAcademy,
        SettingKind::SpecialIndependent,
        SettingKind::SpecialNonMaintained,
        SettingKind::ResourcedProvision,
        SettingKind::SenUnit,
    ] {
        let placement = Placement::ALL
            .into_iter()
            .find(|p| p.setting_kind() == Some(kind))
            .unwrap();
        for need in stats::PLAN_NEEDS {
            let n = plans
                .iter()
                .filter(|c| c.primary_need == need)
                .filter(|c| {
                    c.current_setting.as_ref().is_some_and(|s| {
                        built
                            .provision
                            .settings
                            .iter()
                            .find(|x| &x.id == s)
                            .unwrap()
                            .kind
                            == kind
                    })
                })
                .count() as u64;
            assert_eq!(n, table.get(placement, need), "{kind:?} {need:?}");
        }
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("county");
    write::write_area(&dir, &built.files()).unwrap();
    let loaded = crate::io::load_area(&dir, &rules()).expect("the county loads");
    assert_eq!(loaded.area.children.len(), built.cohort.children.len());
    // Writing into an existing area folder replaces its files; a foreign folder is refused.
    write::write_area(&dir, &built.files()).expect("rewrites an area folder");
    let foreign = tmp.path().join("foreign");
    std::fs::create_dir(&foreign).unwrap();
    std::fs::write(foreign.join("notes.txt"), "mine").unwrap();
    assert!(write::write_area(&foreign, &built.files()).is_err());
    assert!(!foreign.join("settings.csv").exists());
}

#[test]
fn the_shipped_county_fixture_is_what_the_synthesiser_writes() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/wyvernshire");
    let built = county::build_county(1, DEFAULT_SEN_SUPPORT_SHARE);
    for (name, bytes) in write::render(&built.files()).unwrap() {
        let shipped = std::fs::read(dir.join(name)).unwrap_or_default();
        assert!(
            shipped == bytes,
            "fixtures/wyvernshire/{name} is stale: regenerate it with `placewise synth-county --out fixtures/wyvernshire --seed 1`"
        );
    }
}
