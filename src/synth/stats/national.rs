//! England's published figures the synthesiser falls back on or draws from: EHC plans by
//! placement and primary need (SEN2, January 2025), net growth in plans, and the SEN-support
//! mix by primary need.

use crate::model::Need;

/// The source named in assumptions.
pub const SEN2_SOURCE: &str = "DfE, Education, health and care plans, reporting year 2025 (SEN2, January 2025), Open Government Licence v3.0";

/// England, January 2025: EHC plans by placement (rows, [`Placement::ALL`] order) and primary
/// need (columns: SPLD, MLD, SLD, PMLD, SEMH, SLCN, HI, VI, MSI, PD, ASD, OTH, need unknown).
/// Sums of the national "Type of placement" rows of DfE SEN2 2025 (`sen_needs_all_plans.csv`),
/// grouped as [`Placement::from_sen2`] does; total 638,745.
pub const NATIONAL_2025: [[u64; 13]; 16] = [
    [
        6860, 24738, 3113, 661, 49195, 71807, 3187, 2413, 572, 9187, 69290, 3179, 2336,
    ],
    [
        226, 932, 251, 52, 1401, 4572, 920, 202, 43, 504, 6279, 103, 44,
    ],
    [180, 734, 163, 32, 812, 2771, 303, 42, 24, 200, 3600, 50, 84],
    [327, 680, 65, 9, 2136, 1116, 141, 87, 23, 271, 2173, 98, 48],
    [
        883, 9662, 9436, 3593, 7734, 16144, 1013, 543, 371, 4126, 31081, 1038, 296,
    ],
    [
        1011, 7838, 5207, 2321, 11775, 13325, 463, 411, 265, 3045, 26918, 934, 419,
    ],
    [
        744, 1713, 623, 133, 10927, 3409, 81, 49, 36, 288, 11254, 247, 143,
    ],
    [42, 273, 231, 208, 515, 660, 361, 102, 32, 395, 1494, 56, 12],
    [62, 184, 37, 19, 3059, 432, 26, 5, 5, 40, 896, 42, 51],
    [
        2317, 12367, 3185, 430, 19372, 10556, 1390, 698, 144, 3474, 23218, 841, 491,
    ],
    [
        166, 1229, 1098, 333, 1363, 971, 102, 191, 34, 598, 3438, 122, 30,
    ],
    [44, 225, 127, 131, 87, 2105, 66, 50, 26, 332, 1175, 78, 78],
    [
        613, 2675, 812, 183, 10225, 2588, 319, 201, 40, 775, 6190, 286, 407,
    ],
    [
        146, 711, 179, 137, 1999, 1394, 61, 44, 22, 312, 2986, 98, 78,
    ],
    [
        294, 1150, 379, 154, 6484, 1475, 103, 67, 31, 495, 5210, 235, 192,
    ],
    [
        459, 2750, 775, 181, 5133, 2511, 229, 175, 24, 855, 5981, 105, 161,
    ],
];

/// England's net growth in EHC plans, January 2024 to January 2025: (638,745 − 576,474) /
/// 638,745 (DfE SEN2 caseload, 2019–2025).
pub const NATIONAL_NEW_PLAN_SHARE_2025: f64 = (638_745.0 - 576_474.0) / 638_745.0;

/// SEN support pupils by primary need, England, January 2022 (school census, as published in
/// DfE "Outcomes for children in need", all-pupils comparison group, `pt_<NEED>_ss`), in
/// [`PLAN_NEEDS`] order followed by NSA. Percentages of SEN support pupils.
pub const SEN_SUPPORT_MIX_2022: [(Need, f64); 13] = [
    (Need::Spld, 14.4),
    (Need::Mld, 18.9),
    (Need::Sld, 0.2),
    (Need::Pmld, 0.1),
    (Need::Semh, 20.0),
    (Need::Slcn, 25.1),
    (Need::Hi, 1.6),
    (Need::Vi, 0.9),
    (Need::Msi, 0.3),
    (Need::Pd, 2.2),
    (Need::Asd, 7.6),
    (Need::Oth, 4.3),
    (Need::Nsa, 4.4),
];
