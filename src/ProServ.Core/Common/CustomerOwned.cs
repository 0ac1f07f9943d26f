using System.Linq.Expressions;

namespace ProServ.Core.Common;

/// Rows that belong to one customer. A customer contact sees only its own customer's rows; the team sees all. Each
/// entity states once how to reach its customer (its own column, or a path through its engagement), and
/// <see cref="CustomerVisibility.VisibleTo{T}"/> is the one place that applies the rule.
public interface ICustomerOwned<TSelf> where TSelf : ICustomerOwned<TSelf>
{
    /// The owning customer's id, as an expression the database can evaluate.
    static abstract Expression<Func<TSelf, Guid?>> OwnerCustomerId { get; }
}

public static class CustomerVisibility
{
    /// The rows of the query the actor may see: all for the team, only its customer's for a customer contact (and
    /// none for an actor who is neither, such as a contact whose customer was unset).
    public static IQueryable<T> VisibleTo<T>(this IQueryable<T> query, Actor actor) where T : ICustomerOwned<T>
    {
        if (actor.IsStaff)
        {
            return query;
        }
        Guid? own = actor.CustomerId ?? Guid.Empty;
        var owner = T.OwnerCustomerId;
        // A closure, not a constant, so the database sees a parameter and reuses one plan for every customer.
        Expression<Func<Guid?>> ownValue = () => own;
        var filter = Expression.Lambda<Func<T, bool>>(Expression.Equal(owner.Body, ownValue.Body), owner.Parameters);
        return query.Where(filter);
    }
}
