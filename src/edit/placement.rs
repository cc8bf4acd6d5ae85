//! Where things go on the screen, pure: the context menu next to what was clicked
//! ([`menu_position`]), zoom that keeps the point under the pointer still
//! ([`zoom_at_point`]), the view that fits the whole drawing ([`fit_to_content`]), the
//! rectangle a marquee drag spans ([`marquee`]), and the "from" and "for" fields of the
//! context menu read as simulated times ([`menu_timing`]).
//!
//! Invariants:
//! - A placed menu lies inside the viewport whenever it fits in it (else it starts at
//!   the viewport's top-left margin), and never covers its anchor when there is room
//!   on either side of it.
//! - Zooming at a point keeps that point at the same place on the screen (exactly,
//!   while the zoom is inside its limits), and zoom always stays inside its limits.
//! - A fitted view holds the whole content box with its margin, centred.
//! - Times and lengths read from the menu are inside the run; an unreadable field gives
//!   an error that names the field and says what to write.

use crate::scenario::duration::parse_duration;
use crate::view::Rect;

/// A rectangle in some coordinate system (screen pixels or canvas units).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Area {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

impl From<&Rect> for Area {
    fn from(rect: &Rect) -> Area {
        Area {
            x: rect.x,
            y: rect.y,
            width: rect.width,
            height: rect.height,
        }
    }
}

impl Area {
    pub fn right(&self) -> f64 {
        self.x + self.width
    }

    pub fn bottom(&self) -> f64 {
        self.y + self.height
    }

    /// Whether the two overlap (touching edges do not count).
    pub fn overlaps(&self, other: &Area) -> bool {
        self.x < other.right()
            && other.x < self.right()
            && self.y < other.bottom()
            && other.y < self.bottom()
    }

    /// The smallest area holding every one of `areas`; `None` when there are none.
    pub fn union(areas: impl IntoIterator<Item = Area>) -> Option<Area> {
        areas.into_iter().fold(None, |bounds: Option<Area>, area| {
            Some(match bounds {
                None => area,
                Some(bounds) => {
                    let x = bounds.x.min(area.x);
                    let y = bounds.y.min(area.y);
                    Area {
                        x,
                        y,
                        width: bounds.right().max(area.right()) - x,
                        height: bounds.bottom().max(area.bottom()) - y,
                    }
                }
            })
        })
    }
}

/// Space kept between the menu and its anchor, and between the menu and the edges of
/// the viewport, in pixels.
pub const MENU_GAP_PX: f64 = 8.0;

/// Where the menu's top-left corner goes: right of the anchor, its top level with the
/// anchor's top; else left of it; else below it, else above it; then moved inside the
/// viewport (`viewport_width` × `viewport_height`, from 0,0).
pub fn menu_position(
    anchor: Area,
    menu_width: f64,
    menu_height: f64,
    viewport_width: f64,
    viewport_height: f64,
) -> (f64, f64) {
    let gap = MENU_GAP_PX;
    let fits_x = |x: f64| x >= gap && x + menu_width <= viewport_width - gap;
    let fits_y = |y: f64| y >= gap && y + menu_height <= viewport_height - gap;
    let right = anchor.right() + gap;
    let left = anchor.x - gap - menu_width;
    let below = anchor.bottom() + gap;
    let above = anchor.y - gap - menu_height;
    let (x, y) = if fits_x(right) {
        (right, anchor.y)
    } else if fits_x(left) {
        (left, anchor.y)
    } else if fits_y(below) {
        (anchor.x, below)
    } else if fits_y(above) {
        (anchor.x, above)
    } else {
        (right, anchor.y)
    };
    (
        clamp_into(x, menu_width, viewport_width),
        clamp_into(y, menu_height, viewport_height),
    )
}

/// `start` moved so that `start..start + size` lies within `gap..limit - gap`, or at
/// `gap` when it cannot.
fn clamp_into(start: f64, size: f64, limit: f64) -> f64 {
    let gap = MENU_GAP_PX;
    start.min(limit - gap - size).max(gap)
}

/// Zoom and pan of the canvas: it shows `content_width / zoom` × `content_height / zoom`
/// canvas units from (`pan_x`, `pan_y`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct View {
    pub zoom: f64,
    pub pan_x: f64,
    pub pan_y: f64,
}

impl Default for View {
    fn default() -> Self {
        View {
            zoom: 1.0,
            pan_x: 0.0,
            pan_y: 0.0,
        }
    }
}

/// The zoom limits of the canvas.
pub const ZOOM_MIN: f64 = 0.25;
pub const ZOOM_MAX: f64 = 4.0;

/// `view` zoomed by `factor` around the point at (`fraction_x`, `fraction_y`) of the
/// shown area (0,0 its top-left corner, 1,1 its bottom-right): that canvas point stays
/// at the same place on the screen. `content_width` × `content_height` is the canvas
/// size at zoom 1.
pub fn zoom_at_point(
    view: View,
    factor: f64,
    fraction_x: f64,
    fraction_y: f64,
    content_width: f64,
    content_height: f64,
) -> View {
    let zoom = (view.zoom * factor).clamp(ZOOM_MIN, ZOOM_MAX);
    let shown_width = content_width / view.zoom;
    let shown_height = content_height / view.zoom;
    let next_width = content_width / zoom;
    let next_height = content_height / zoom;
    View {
        zoom,
        pan_x: view.pan_x + fraction_x * (shown_width - next_width),
        pan_y: view.pan_y + fraction_y * (shown_height - next_height),
    }
}

/// The view that shows all of `content` (in canvas units) with `margin` units around
/// it, centred, on a canvas of `canvas_width` × `canvas_height` units at zoom 1.
pub fn fit_to_content(content: Area, margin: f64, canvas_width: f64, canvas_height: f64) -> View {
    let wanted_width = (content.width + 2.0 * margin).max(1.0);
    let wanted_height = (content.height + 2.0 * margin).max(1.0);
    let zoom = (canvas_width / wanted_width)
        .min(canvas_height / wanted_height)
        .clamp(ZOOM_MIN, ZOOM_MAX);
    let (center_x, center_y) = (
        content.x + content.width / 2.0,
        content.y + content.height / 2.0,
    );
    View {
        zoom,
        pan_x: center_x - canvas_width / zoom / 2.0,
        pan_y: center_y - canvas_height / zoom / 2.0,
    }
}

/// The rectangle between two corners of a drag, whichever way it went.
pub fn marquee(start: (f64, f64), end: (f64, f64)) -> Area {
    Area {
        x: start.0.min(end.0),
        y: start.1.min(end.1),
        width: (start.0 - end.0).abs(),
        height: (start.1 - end.1).abs(),
    }
}

/// The positions of `boxes` that a marquee touches (a node is picked as soon as the
/// rectangle reaches it, as in draw.io's "touch" mode).
pub fn inside_marquee(area: Area, boxes: &[Area]) -> Vec<usize> {
    boxes
        .iter()
        .enumerate()
        .filter(|(_, candidate)| area.overlaps(candidate))
        .map(|(position, _)| position)
        .collect()
}

/// Every pair of `count` regions, `(from, to)` with `from < to`, in order: the links
/// that get a badge.
pub fn region_pairs(count: usize) -> Vec<(usize, usize)> {
    (0..count)
        .flat_map(|from| (from + 1..count).map(move |to| (from, to)))
        .collect()
}

/// Where each inter-region link's badge goes (its centre, canvas units), for `pairs`
/// of region positions, in order. Two regions side by side with nothing between them:
/// halfway between their facing edges, a little above their middle (over both edges,
/// as before). Otherwise (one above the other, or others between them) the badge sits
/// in the gap under the upper region (above the row for regions in one row), on the
/// line between their centres. A badge that would cover another badge or a region
/// other than its own two, or leave the canvas (`0..canvas_width`), moves sideways, a
/// badge width at a time, to the first free place (it stays where it was when none is
/// free within eight steps).
pub fn link_badge_centers(
    regions: &[Area],
    pairs: &[(usize, usize)],
    badge_width: f64,
    badge_height: f64,
    canvas_width: f64,
) -> Vec<(f64, f64)> {
    let center = |area: &Area| (area.x + area.width / 2.0, area.y + area.height / 2.0);
    let same_row = |a: &Area, b: &Area| a.y < b.bottom() && b.y < a.bottom();
    let mut placed: Vec<Area> = Vec::with_capacity(pairs.len());
    let mut centers = Vec::with_capacity(pairs.len());
    for &(first, second) in pairs {
        let (a, b) = (regions[first], regions[second]);
        let (left, right) = if a.x <= b.x { (a, b) } else { (b, a) };
        let between_them = regions.iter().enumerate().any(|(position, other)| {
            position != first
                && position != second
                && same_row(other, &a)
                && other.x >= left.right()
                && other.right() <= right.x
        });
        let adjacent = same_row(&a, &b) && !between_them;
        let (start_x, start_y) = if adjacent {
            (
                (left.right() + right.x) / 2.0,
                (center(&a).1 + center(&b).1) / 2.0 - 20.0,
            )
        } else if same_row(&a, &b) {
            // Others between them: above the row, over the middle of the two.
            (
                (center(&a).0 + center(&b).0) / 2.0,
                a.y.min(b.y) - badge_height / 2.0 - 4.0,
            )
        } else {
            let (upper, lower) = if a.y < b.y { (a, b) } else { (b, a) };
            let next_top = regions
                .iter()
                .map(|other| other.y)
                .filter(|&top| top >= upper.bottom())
                .fold(lower.y, f64::min);
            let y = (upper.bottom() + next_top) / 2.0;
            let (upper_x, upper_y) = center(&upper);
            let (lower_x, lower_y) = center(&lower);
            let along = (y - upper_y) / (lower_y - upper_y).max(1.0);
            (upper_x + (lower_x - upper_x) * along, y)
        };
        let badge_at = |x: f64| Area {
            x: x - badge_width / 2.0,
            y: start_y - badge_height / 2.0,
            width: badge_width,
            height: badge_height,
        };
        let free = |area: &Area| {
            area.x >= 0.0
                && area.right() <= canvas_width
                && !placed.iter().any(|other| other.overlaps(area))
                && !regions.iter().enumerate().any(|(position, region)| {
                    let own = position == first || position == second;
                    !(adjacent && own) && region.overlaps(area)
                })
        };
        let step = badge_width + 8.0;
        let x = [0.0, 1.0, -1.0, 2.0, -2.0, 3.0, -3.0, 4.0, -4.0]
            .iter()
            .map(|shift| start_x + shift * step)
            .find(|&x| free(&badge_at(x)))
            .unwrap_or(start_x);
        placed.push(badge_at(x));
        centers.push((x, start_y));
    }
    centers
}

/// A duration as people type it: `30m`, `for 10 m`, `1h 30m`, `1h 00m 00s` (as the
/// app shows times), `90` (seconds). `field` names the field in the error.
pub fn parse_typed_duration(text: &str, field: &str) -> Result<u64, String> {
    let lowered = text.trim().to_lowercase();
    let words = lowered
        .strip_prefix("for ")
        .or_else(|| lowered.strip_prefix("from "))
        .or_else(|| lowered.strip_prefix("at "))
        .unwrap_or(&lowered);
    let compact: String = words.chars().filter(|c| !c.is_whitespace()).collect();
    let hint = "write a duration like 30m, 1h 30m or 90s";
    if compact.is_empty() {
        return Err(format!("{field}: empty: {hint}"));
    }
    // Split into number-and-unit parts: "1h30m" → "1h", "30m".
    let mut parts = Vec::new();
    let mut current = String::new();
    for character in compact.chars() {
        let starts_number = character.is_ascii_digit() || character == '.';
        if starts_number && current.chars().last().is_some_and(char::is_alphabetic) {
            parts.push(std::mem::take(&mut current));
        }
        current.push(character);
    }
    parts.push(current);
    let mut total_ms: u64 = 0;
    for part in &parts {
        let part_ms = parse_duration(part)
            .map_err(|_| format!("{field}: \"{}\" is not a duration: {hint}", text.trim()))?;
        total_ms = total_ms.saturating_add(part_ms);
    }
    Ok(total_ms)
}

/// What the context menu's fields say: the fault starts at `at_ms` and lasts
/// `length_ms`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MenuTiming {
    pub at_ms: u64,
    pub length_ms: u64,
}

/// Reads the menu's "From" field (`now`, empty, or a time from the start of the run
/// such as `20m` or `1h 05m`) and its "For" field (`30m`, `for 10 m`). `now_ms` is the
/// moment shown; `duration_ms` the run's length. Every error names its field.
pub fn menu_timing(
    from_text: &str,
    for_text: &str,
    now_ms: u64,
    duration_ms: u64,
) -> Result<MenuTiming, Vec<String>> {
    let mut errors = Vec::new();
    let from = from_text.trim().to_lowercase();
    let at_ms = if from.is_empty() || from == "now" || from == "from now" {
        Some(now_ms)
    } else {
        match parse_typed_duration(&from, "From") {
            Ok(at_ms) if at_ms >= duration_ms => {
                errors.push(format!(
                    "From: {} is not before the end of the run ({}): choose an earlier time, or \"now\"",
                    crate::scenario::duration::describe_duration(at_ms),
                    crate::scenario::duration::describe_duration(duration_ms)
                ));
                None
            }
            Ok(at_ms) => Some(at_ms),
            Err(message) => {
                errors.push(format!("{message}, or \"now\""));
                None
            }
        }
    };
    let length_ms = match parse_typed_duration(for_text, "For") {
        Ok(0) => {
            errors.push("For: a fault must last longer than 0s: write a length like 30m".into());
            None
        }
        Ok(length_ms) => Some(length_ms),
        Err(message) => {
            errors.push(message);
            None
        }
    };
    match (at_ms, length_ms) {
        (Some(at_ms), Some(length_ms)) if errors.is_empty() => Ok(MenuTiming { at_ms, length_ms }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VIEWPORT: (f64, f64) = (1280.0, 720.0);

    fn area(x: f64, y: f64, width: f64, height: f64) -> Area {
        Area {
            x,
            y,
            width,
            height,
        }
    }

    fn placed(anchor: Area, menu: (f64, f64)) -> Area {
        let (x, y) = menu_position(anchor, menu.0, menu.1, VIEWPORT.0, VIEWPORT.1);
        area(x, y, menu.0, menu.1)
    }

    fn inside_viewport(menu: &Area) -> bool {
        menu.x >= 0.0 && menu.y >= 0.0 && menu.right() <= VIEWPORT.0 && menu.bottom() <= VIEWPORT.1
    }

    #[test]
    fn the_menu_sits_beside_its_anchor_without_covering_it() {
        let node = area(300.0, 200.0, 150.0, 60.0);
        let menu = placed(node, (320.0, 260.0));
        assert_eq!((menu.x, menu.y), (node.right() + MENU_GAP_PX, node.y));
        assert!(!menu.overlaps(&node));
        // Near the right edge it goes to the left.
        let node = area(1100.0, 200.0, 150.0, 60.0);
        let menu = placed(node, (320.0, 260.0));
        assert!(menu.right() <= node.x && inside_viewport(&menu), "{menu:?}");
        // Near the bottom it is lifted inside the viewport, still beside the node.
        let node = area(300.0, 680.0, 150.0, 30.0);
        let menu = placed(node, (320.0, 260.0));
        assert!(inside_viewport(&menu) && !menu.overlaps(&node), "{menu:?}");
    }

    #[test]
    fn a_wide_anchor_puts_the_menu_below_or_above_it_inside_the_viewport() {
        let region = area(10.0, 100.0, 1250.0, 300.0);
        let menu = placed(region, (320.0, 260.0));
        assert_eq!(menu.y, region.bottom() + MENU_GAP_PX);
        assert!(inside_viewport(&menu) && !menu.overlaps(&region));
        let low = area(10.0, 450.0, 1250.0, 260.0);
        let menu = placed(low, (320.0, 260.0));
        assert!(menu.bottom() <= low.y && inside_viewport(&menu), "{menu:?}");
        // An anchor off screen still gives a menu on screen.
        for anchor in [
            area(-500.0, -500.0, 10.0, 10.0),
            area(5000.0, 5000.0, 10.0, 10.0),
        ] {
            assert!(
                inside_viewport(&placed(anchor, (320.0, 260.0))),
                "{anchor:?}"
            );
        }
        // A menu larger than the viewport starts at its top-left margin.
        let (x, y) = menu_position(area(0.0, 0.0, 1.0, 1.0), 2000.0, 2000.0, 1280.0, 720.0);
        assert_eq!((x, y), (MENU_GAP_PX, MENU_GAP_PX));
    }

    #[test]
    fn zooming_keeps_the_point_under_the_pointer() {
        let (width, height) = (1200.0, 600.0);
        let view = View {
            zoom: 1.5,
            pan_x: 40.0,
            pan_y: -20.0,
        };
        let under = |view: View, fraction: (f64, f64)| {
            (
                view.pan_x + fraction.0 * width / view.zoom,
                view.pan_y + fraction.1 * height / view.zoom,
            )
        };
        for fraction in [(0.0, 0.0), (0.25, 0.8), (1.0, 1.0), (0.5, 0.5)] {
            for factor in [1.25, 0.8, 2.0] {
                let zoomed = zoom_at_point(view, factor, fraction.0, fraction.1, width, height);
                let (before, after) = (under(view, fraction), under(zoomed, fraction));
                assert!(
                    (before.0 - after.0).abs() < 1e-9 && (before.1 - after.1).abs() < 1e-9,
                    "{fraction:?} × {factor}: {before:?} → {after:?}"
                );
            }
        }
        // The limits hold, and at a limit nothing moves.
        let most = zoom_at_point(
            View {
                zoom: ZOOM_MAX,
                ..view
            },
            2.0,
            0.3,
            0.3,
            width,
            height,
        );
        assert_eq!(most.zoom, ZOOM_MAX);
        assert_eq!((most.pan_x, most.pan_y), (view.pan_x, view.pan_y));
        assert_eq!(
            zoom_at_point(View::default(), 0.01, 0.5, 0.5, width, height).zoom,
            ZOOM_MIN
        );
    }

    #[test]
    fn fit_shows_the_whole_content_centred() {
        let (width, height) = (1200.0, 600.0);
        for content in [
            area(100.0, 100.0, 300.0, 100.0),
            area(-200.0, 50.0, 2400.0, 500.0),
            area(0.0, 0.0, 1200.0, 1800.0),
        ] {
            let view = fit_to_content(content, 10.0, width, height);
            let shown = area(
                view.pan_x,
                view.pan_y,
                width / view.zoom,
                height / view.zoom,
            );
            let padded = area(
                content.x - 10.0,
                content.y - 10.0,
                content.width + 20.0,
                content.height + 20.0,
            );
            assert!(
                shown.x <= padded.x + 1e-9
                    && shown.y <= padded.y + 1e-9
                    && shown.right() >= padded.right() - 1e-9
                    && shown.bottom() >= padded.bottom() - 1e-9,
                "{content:?} shown as {shown:?}"
            );
            // Centred: the same room on both sides.
            assert!(((padded.x - shown.x) - (shown.right() - padded.right())).abs() < 1e-6);
            // Tight along one axis (unless a zoom limit stops it).
            let tight_x = (shown.width - padded.width).abs() < 1e-6;
            let tight_y = (shown.height - padded.height).abs() < 1e-6;
            assert!(tight_x || tight_y || view.zoom == ZOOM_MAX || view.zoom == ZOOM_MIN);
        }
        // A small drawing is magnified, up to the limit.
        assert!(fit_to_content(area(0.0, 0.0, 300.0, 100.0), 0.0, width, height).zoom > 1.0);
        assert_eq!(
            fit_to_content(area(0.0, 0.0, 1.0, 1.0), 0.0, width, height).zoom,
            ZOOM_MAX
        );
    }

    #[test]
    fn a_marquee_picks_the_boxes_it_touches_whichever_way_it_is_drawn() {
        let boxes = [
            area(0.0, 0.0, 10.0, 10.0),
            area(50.0, 50.0, 10.0, 10.0),
            area(100.0, 0.0, 10.0, 10.0),
        ];
        assert_eq!(
            inside_marquee(marquee((55.0, 55.0), (-5.0, -5.0)), &boxes),
            [0, 1]
        );
        assert_eq!(
            inside_marquee(marquee((20.0, 20.0), (40.0, 40.0)), &boxes),
            Vec::<usize>::new()
        );
        assert_eq!(
            marquee((10.0, 40.0), (30.0, 20.0)),
            area(10.0, 20.0, 20.0, 20.0)
        );
    }

    #[test]
    fn link_badges_cover_neither_each_other_nor_a_third_region_issue_13() {
        let (width, height) = (132.0, 24.0);
        let check = |regions: &[Area]| {
            let pairs = region_pairs(regions.len());
            let canvas_width = regions.iter().map(Area::right).fold(0.0, f64::max) + 16.0;
            let centers = link_badge_centers(regions, &pairs, width, height, canvas_width);
            let badges: Vec<Area> = centers
                .iter()
                .map(|&(x, y)| area(x - width / 2.0, y - height / 2.0, width, height))
                .collect();
            for (index, badge) in badges.iter().enumerate() {
                assert!(
                    badge.x >= 0.0 && badge.right() <= canvas_width,
                    "{badge:?} leaves the canvas"
                );
                for other in &badges[index + 1..] {
                    assert!(
                        !badge.overlaps(other),
                        "{badge:?} covers {other:?} in {regions:?}"
                    );
                }
                let (first, second) = pairs[index];
                for (position, region) in regions.iter().enumerate() {
                    if position != first && position != second {
                        assert!(
                            !badge.overlaps(region),
                            "badge {first}-{second} covers region {position}: {badge:?}"
                        );
                    }
                }
            }
            centers
        };
        // Three regions, one per row (each too wide to share a row).
        let stacked = [
            area(16.0, 16.0, 760.0, 154.0),
            area(16.0, 202.0, 620.0, 154.0),
            area(16.0, 388.0, 700.0, 154.0),
        ];
        check(&stacked);
        // Two side by side and one below them.
        let two_and_one = [
            area(16.0, 16.0, 500.0, 154.0),
            area(548.0, 16.0, 500.0, 154.0),
            area(16.0, 202.0, 300.0, 154.0),
        ];
        let centers = check(&two_and_one);
        // Side by side: between the facing edges, as before.
        assert_eq!(centers[0], ((516.0 + 548.0) / 2.0, 93.0 - 20.0));
        // Four regions: a wide one, then three in the next row (active-active and two
        // more): five badges share the gap between the rows, inside the canvas.
        check(&[
            area(16.0, 16.0, 760.0, 154.0),
            area(16.0, 202.0, 620.0, 154.0),
            area(668.0, 202.0, 176.0, 154.0),
            area(876.0, 202.0, 176.0, 154.0),
        ]);
        // Three in one row: the outer pair's badge is not over the middle one.
        check(&[
            area(16.0, 64.0, 300.0, 154.0),
            area(348.0, 64.0, 300.0, 154.0),
            area(680.0, 64.0, 300.0, 154.0),
        ]);
    }

    #[test]
    fn typed_durations_read_as_people_write_them() {
        for (text, expected_ms) in [
            ("30m", 1_800_000),
            ("for 10 m", 600_000),
            ("1h 30m", 5_400_000),
            ("1h 00m 00s", 3_600_000),
            ("90", 90_000),
            ("  2H ", 7_200_000),
        ] {
            assert_eq!(parse_typed_duration(text, "For"), Ok(expected_ms), "{text}");
        }
        for bad in ["", "soon", "10 parsecs", "-5m"] {
            let error = parse_typed_duration(bad, "For").unwrap_err();
            assert!(error.starts_with("For: "), "{bad}: {error}");
            assert!(error.contains("like 30m"), "{bad}: {error}");
        }
    }

    #[test]
    fn the_menu_fields_give_a_start_and_a_length_or_errors_naming_the_field() {
        let hour_ms = 3_600_000;
        assert_eq!(
            menu_timing("now", "30m", hour_ms, 4 * hour_ms),
            Ok(MenuTiming {
                at_ms: hour_ms,
                length_ms: 1_800_000
            })
        );
        assert_eq!(
            menu_timing("", "for 10 m", 5_000, 4 * hour_ms)
                .unwrap()
                .at_ms,
            5_000
        );
        assert_eq!(
            menu_timing("20m", "10m", hour_ms, 4 * hour_ms),
            Ok(MenuTiming {
                at_ms: 1_200_000,
                length_ms: 600_000
            })
        );
        let errors = menu_timing("later", "never", 0, hour_ms).unwrap_err();
        assert_eq!(errors.len(), 2);
        assert!(errors[0].starts_with("From: ") && errors[0].contains("\"now\""));
        assert!(errors[1].starts_with("For: "));
        let errors = menu_timing("5h", "0s", 0, hour_ms).unwrap_err();
        assert!(
            errors[0].contains("not before the end of the run"),
            "{errors:?}"
        );
        assert!(errors[1].contains("longer than 0s"), "{errors:?}");
    }
}
