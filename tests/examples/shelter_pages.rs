//! Walks the shelter's paged lists of volunteers (the FastAPI application in
//! `tools/fastapi/`): item by item, page by page, and from a saved page.
//!
//! `SHELTER_URL=http://127.0.0.1:8000 cargo run -p tests --example shelter_pages`.

use shelter_client::{
    Client, ListVolunteersAfterParams, ListVolunteersNextParams, ListVolunteersNumberedParams,
};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::builder()
        .base_url(std::env::var("SHELTER_URL").unwrap_or(shelter_client::DEFAULT_BASE_URL.into()))
        .build()?;

    // Item by item: the walk asks for the next page (`starting_after` the last id, while
    // `has_more`) only when the items before it are taken. An error ends it.
    let params = ListVolunteersAfterParams::default().limit(2);
    let mut volunteers = client.list_volunteers_after_items(&params);
    while let Some(volunteer) = volunteers.next().await {
        let volunteer = volunteer?;
        println!("{}: {}", volunteer.id, volunteer.name);
    }

    // Page by page, each the whole answer with its status and headers; the walk starts where
    // the parameters say, so that a saved page number (or cursor) resumes it.
    let resume = ListVolunteersNumberedParams::default().page(2);
    let mut pages = client.list_volunteers_numbered_pages(&resume);
    while let Some(page) = pages.next().await {
        let page = page?;
        let names: Vec<&str> = page
            .body()
            .volunteers
            .iter()
            .map(|v| v.name.as_str())
            .collect();
        println!(
            "{} of {}: {}",
            page.status(),
            page.body().total_pages,
            names.join(", ")
        );
    }

    // A walk stopped part-way says where it goes on from: a page (here the next page's URL
    // the server gave) and how many of its items were taken. Kept, it resumes a new walk,
    // which refuses a URL that is not under the client's base URL.
    let params = ListVolunteersNextParams::default();
    let mut walk = client.list_volunteers_next_items(&params);
    if let Some(first) = walk.next().await {
        println!("first: {}", first?.name);
    }
    if let Some(saved) = walk.resume_point() {
        let mut rest = client
            .list_volunteers_next_items(&params)
            .starting_at(saved);
        while let Some(volunteer) = rest.next().await {
            println!("then: {}", volunteer?.name);
        }
    }
    Ok(())
}
