//! Uploads a photo with a form field, posts a form, and downloads a file, with the shelter's
//! client (the FastAPI application in `tools/fastapi/`).
//!
//! `SHELTER_URL=http://127.0.0.1:8000 cargo run -p tests --example shelter`.

use shelter_client::models::BodyApply;
use shelter_client::{Client, Upload, UploadPhotosMultipart};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::builder()
        .base_url(std::env::var("SHELTER_URL").unwrap_or(shelter_client::DEFAULT_BASE_URL.into()))
        .build()?;

    // An upload: a file from disk (streamed, never held whole) and one from memory, with the
    // form fields of the same request.
    let photo = Upload::file("mia.png").await?.content_type("image/png");
    let photos = UploadPhotosMultipart::new(photo, "Mia at the window")
        .extras(vec![
            Upload::bytes(b"a second view".to_vec()).file_name("side.txt"),
        ])
        .tags(["calm".to_owned()]);
    let received = client.upload_photos(1, photos).await?.into_body();
    println!(
        "the shelter stored {:?} ({:?} bytes)",
        received.files, received.sizes
    );

    // A form post (`application/x-www-form-urlencoded`), built from its model: `new` takes the
    // required fields, a method named after each field sets it.
    let application = BodyApply::new("Ann", [1, 3]).email("ann@example.com".to_owned());
    let answer = client.apply(&application).await?.into_body();
    println!("applied for {:?}", answer.animals);

    // A download, written to disk chunk by chunk.
    let photo = client.get_photo(1).await?.into_body();
    let written = photo.save("mia-from-the-shelter.png").await?;
    println!("downloaded {written} bytes");
    Ok(())
}
