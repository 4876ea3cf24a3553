using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using WebApp.Domain.Identity;

namespace WebApp.Web.Components.Account;

public static class AccountEndpoints
{
    /// <summary>Sign-out is a POST with an antiforgery token (forms in the layout and the access-denied page).</summary>
    public static void MapAccountEndpoints(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost("/account/logout", async (SignInManager<AppUser> signInManager, [FromForm] string? returnUrl) =>
        {
            await signInManager.SignOutAsync();
            return TypedResults.LocalRedirect("~/account/login");
        }).AllowAnonymous();
}
