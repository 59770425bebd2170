// The migrations are embedded by `sqlx::migrate!`: a new or changed file in
// either engine's folder rebuilds the crate.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
