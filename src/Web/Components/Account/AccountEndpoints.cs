using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using WebApp.Domain.Identity;

namespace WebApp.Web.Components.Account;

public static class AccountEndpoints
{
    /// <summary>Sign-out is a POST with an antiforgery token (forms in the layout and the access-denied page).</summary>
    /// <remarks>
    /// The form-bound parameter is what makes minimal APIs validate the antiforgery token; its value is unused
    /// because sign-out always lands on the login page.
    /// </remarks>
    public static void MapAccountEndpoints(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost("/account/logout", async (SignInManager<AppUser> signInManager, [FromForm] string? form) =>
        {
            await signInManager.SignOutAsync();
            return TypedResults.LocalRedirect("~/account/login");
        }).AllowAnonymous();
}
